// The sending policy inside the claim: PolicyGate over a real Store, so
// list lookups and counters are read in the claim transaction, and the
// store records what the decision says (status, reason, text, counters,
// audit). The decision itself is tested by tables in tests/policy.
#include <catch2/catch.hpp>

#include <memory>

#include "src/dispatch/gate.hpp"
#include "src/dispatch/policy_gate.hpp"
#include "tests/db/temp_db.hpp"

using namespace sms;
using db::OutRow;
using db::test::TempDb;
using dispatch::PolicyGate;
using dispatch::PolicySet;

namespace {

std::shared_ptr<PolicySet> bulk_rules() {
  auto set = std::make_shared<PolicySet>();
  set->zone = policy::Zone::named("Asia/Shanghai");
  auto& p = set->policy;
  p.default_kind = policy::Kind::bulk;
  p.whitelist = policy::ListRule{policy::bit(policy::Kind::bulk)};
  p.blacklist = policy::ListRule{policy::kAllKinds};
  policy::Limit per_day;
  per_day.scope = policy::Limit::Scope::recipient;
  per_day.per = policy::Limit::Per::day;
  per_day.max = 1;
  p.limits.push_back(per_day);
  policy::QuietWindow night;
  night.from = 22 * 60;
  night.to = 8 * 60;
  p.quiet.push_back(night);
  p.signature = policy::SignatureRule{"【某某公司】", false, policy::kAllKinds};
  return set;
}

// Local Asia/Shanghai wall time as a UTC instant.
policy::Seconds local(int y, int mo, int d, int h, int mi) {
  policy::Civil c;
  c.year = y, c.month = mo, c.day = d, c.hour = h, c.minute = mi;
  return policy::Zone::named("Asia/Shanghai").to_utc(c);
}

std::int64_t queue(db::Store& s, const std::string& to, const std::string& text, const char* kind = nullptr) {
  OutRow r;
  r.recipient = to;
  r.text = text;
  if (kind) r.kind = kind;
  return s.enqueue(r);
}

struct Rig {
  TempDb t;
  db::Store store = t.open();
  PolicyGate pg;
  dispatch::Gate gate;
  db::Gate store_gate;
  // The policy's clock is fake, the store's is real (a deferral into the
  // store's past becomes "in a second"): the fake days lie far ahead of any
  // real clock, so the expected UTC instants below hold whenever this runs.
  policy::Seconds now = local(2099, 12, 7, 10, 0);
  explicit Rig(std::shared_ptr<const PolicySet> set) : pg(std::move(set), "m1", 10) {
    pg.attach(&store);
    pg.set_clock([this] { return now; });
    gate.add_rule("policy", [this](const OutRow& r) { return pg.check(r); });
    store_gate = gate.as_store_gate();
  }
  std::optional<OutRow> claim() { return store.claim_next("m1", store_gate); }
};

}  // namespace

TEST_CASE("policy gate: lists, signature and the daily limit through the store", "[server][policy]") {
  Rig r(bulk_rules());
  r.store.list_add("whitelist", {"+8613955112345", "+8613955112399"}, "", "test", "li");
  r.store.list_add("blacklist", {"+8613955112399"}, "", "test", "li");
  const auto listed = queue(r.store, "13955112345", "元旦特惠");
  const auto unlisted = queue(r.store, "13800138000", "元旦特惠");
  const auto black_notice = queue(r.store, "139-5511-2399", "验证码 1234", "notice");
  const auto second = queue(r.store, "+86 139 5511 2345", "第二条");
  const auto notice = queue(r.store, "13800138000", "验证码 5678", "notice");

  auto a = r.claim();
  REQUIRE(a);
  CHECK(a->id == listed);
  CHECK(a->text == "元旦特惠【某某公司】");   // what the worker encodes
  CHECK(r.store.get_out(listed)->text == "元旦特惠【某某公司】");
  CHECK(*r.store.get_out(listed)->kind == "bulk");   // NULL meant the default, written down
  CHECK(r.store.counter("r|bulk|d|2099-12-07|+8613955112345") == 1);
  r.store.record_sent(listed, "m1", {1});

  // The next claim walks past the rows the policy stops and sends the notice.
  auto b = r.claim();
  REQUIRE(b);
  CHECK(b->id == notice);
  CHECK(b->text == "验证码 5678【某某公司】");
  auto u = r.store.get_out(unlisted);
  CHECK(u->status == "blocked");
  CHECK(u->reason.find("whitelist") != std::string::npos);
  auto bl = r.store.get_out(black_notice);
  CHECK(bl->status == "blocked");
  CHECK(bl->reason.find("blacklist") != std::string::npos);
  auto s2 = r.store.get_out(second);
  CHECK(s2->status == "queued");
  // The limit resets at local midnight, inside the 22:00-08:00 quiet window:
  // 08:00 local, in UTC.
  CHECK(s2->send_at == "2099-12-08 00:00:00.000");
  CHECK(s2->reason.find("limit") != std::string::npos);

  // Audited: two blocks and one deferral.
  db::Store::AuditQuery q;
  q.actor = "policy";
  CHECK(r.store.find_audit(q).size() == 3);

  SECTION("the next local day the deferred one goes") {
    r.now = local(2099, 12, 8, 8, 0);
    // The claim query compares send_at with the real clock: make it due.
    db::test::exec(r.store, "UPDATE outbox SET send_at = NULL WHERE id = " + std::to_string(second));
    auto c = r.claim();
    REQUIRE(c);
    CHECK(c->id == second);
  }
  SECTION("a new policy without the whitelist lets the blocked one be retried and sent") {
    auto next = bulk_rules();
    next->policy.whitelist.reset();
    r.pg.update(next);
    REQUIRE(r.store.retry(unlisted));
    auto c = r.claim();
    REQUIRE(c);
    CHECK(c->id == unlisted);
  }
}

TEST_CASE("policy gate: a kind that is no kind fails even without rules", "[server][policy]") {
  Rig r(std::make_shared<PolicySet>());
  const auto bad = queue(r.store, "13955112345", "hi", "promo");
  const auto ok = queue(r.store, "13955112345", "hi", "notice");
  auto a = r.claim();
  REQUIRE(a);
  CHECK(a->id == ok);
  CHECK(a->text == "hi");
  auto row = r.store.get_out(bad);
  CHECK(row->status == "failed");
  CHECK(row->last_error.find("promo") != std::string::npos);
  CHECK(*row->kind == "promo");   // kept as written, so a person sees the bad value
}

TEST_CASE("policy gate: approval holds the batch, four eyes decide, the exempt reply ignores quiet hours", "[server][policy]") {
  auto set = bulk_rules();
  set->policy.whitelist.reset();
  set->policy.limits.clear();
  set->policy.approval = policy::ApprovalRule{policy::bit(policy::Kind::bulk), 2, true};
  Rig r(set);
  const auto batch = r.store.create_batch("li", "bulk", "");
  std::vector<std::int64_t> ids;
  for (const char* to : {"13955112301", "13955112302"}) {
    OutRow row;
    row.recipient = to;
    row.text = "年终答谢";
    row.kind = "bulk";
    row.batch = batch;
    row.submitted_by = "li";
    ids.push_back(r.store.enqueue(row));
  }
  CHECK_FALSE(r.claim());
  CHECK(r.store.get_out(ids[0])->status == "pending_approval");
  CHECK(r.store.get_out(ids[1])->status == "pending_approval");
  CHECK(r.store.approve(ids, "li", "", true).changed.empty());
  CHECK(r.store.approve(ids, "wang", "", true).changed.size() == 2);
  auto a = r.claim();
  REQUIRE(a);
  CHECK(a->id == ids[0]);

  SECTION("at night the bulk row waits but the server's own reply goes") {
    r.now = local(2099, 12, 7, 23, 0);
    OutRow reply;
    reply.recipient = "13955112399";
    reply.text = "您已退订。";
    reply.kind = "notice";
    reply.submitted_by = "smserver";
    const auto rid = r.store.enqueue(reply);
    auto b = r.claim();
    REQUIRE(b);
    CHECK(b->id == rid);
    CHECK(r.store.get_out(ids[1])->send_at == "2099-12-08 00:00:00.000");   // 08:00 local
  }
}

TEST_CASE("opt-out by reply: keyword, list, blocked rows, reply", "[server][policy]") {
  auto set = std::make_shared<PolicySet>();
  set->policy.optout = policy::OptOutRule{{"TD", "退订"}, {policy::fold_trimmed("TD"), policy::fold_trimmed("退订")},
                                          "您已退订。", policy::bit(policy::Kind::bulk)};
  TempDb t;
  auto s = t.open();
  policy::Numbers numbers("CN");
  const auto bulk = queue(s, "13955112345", "促销", "bulk");
  const auto notice = queue(s, "13955112345", "验证码", "notice");
  db::test::exec(s, "INSERT INTO inbox(sender, text, received_at) VALUES ('+8613955112345', ' td ', '2099-12-07 02:00:00'),"
                    " ('+8613955112345', 'TD 谢谢', '2099-12-07 02:00:01')");
  // Not an opt-out: other words around the keyword.
  CHECK_FALSE(dispatch::handle_optout(s, *set, numbers, *s.get_in(2)));
  auto o = dispatch::handle_optout(s, *set, numbers, *s.get_in(1));
  REQUIRE(o);
  CHECK(o->added);
  CHECK(o->blocked == 1);
  CHECK(s.get_out(bulk)->status == "blocked");
  CHECK(s.get_out(notice)->status == "queued");
  auto reply = s.get_out(o->reply_id);
  REQUIRE(reply);
  CHECK(reply->recipient == "+8613955112345");
  CHECK(reply->submitted_by == "smserver");
}
