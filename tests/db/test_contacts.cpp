// The address book (schema 7): contacts with free fields, duplicates per
// department, groups and members, paging by key, search, the audit trail,
// and that removing a contact leaves what was sent as it was.
#include <catch2/catch.hpp>

#include "tests/db/temp_db.hpp"

using namespace sms::db;
using sms::db::test::exec;
using sms::db::test::scalar;
using sms::db::test::TempDb;

namespace {

Store::Contact person(std::string name, std::string number, std::string department = "",
                      std::vector<std::pair<std::string, std::string>> fields = {}) {
  Store::Contact c;
  c.name = std::move(name);
  c.number = std::move(number);
  c.department = std::move(department);
  c.fields = std::move(fields);
  return c;
}

std::vector<std::string> numbers(const std::vector<Store::Contact>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(c.number);
  return out;
}

}  // namespace

TEST_CASE("contacts: add with free fields; a number twice in one department is a duplicate", "[db][contacts]") {
  TempDb t;
  auto s = t.open();
  auto r = s.contacts_add({person("张三", "+8613955112345", "物业", {{"房号", "3-201"}, {"车牌", "皖A12345"}}),
                           person("李四", "+8613955112346", "物业"),
                           person("张三（重复）", "+8613955112345", "物业"),      // same number, same department
                           person("张三", "+8613955112345", "销售")},             // same number, other department
                          0, "import a.csv", "li");
  CHECK(r.added == 3);
  CHECK(r.duplicate == 1);
  REQUIRE(r.ids.size() == 4);
  CHECK(r.ids[2] == r.ids[0]);   // the duplicate names the contact it duplicates
  CHECK(r.ids[3] != r.ids[0]);

  auto c = s.contact(r.ids[0]);
  REQUIRE(c);
  CHECK(c->name == "张三");   // the duplicate changed nothing
  CHECK(c->department == "物业");
  CHECK(c->created_by == "li");
  REQUIRE(c->fields.size() == 2);
  CHECK(c->fields[0] == std::make_pair(std::string("房号"), std::string("3-201")));   // by name (byte order)
  CHECK(c->fields[1] == std::make_pair(std::string("车牌"), std::string("皖A12345")));
  CHECK(s.contacts_by_number("+8613955112345").size() == 2);

  auto log = s.find_audit({});
  REQUIRE(log.size() == 1);
  CHECK(log[0].action == "contact add");
  CHECK(log[0].details == "3 added, 1 already there (import a.csv)");
}

TEST_CASE("contacts: edit, with the change audited; a clash with another contact refused", "[db][contacts]") {
  TempDb t;
  auto s = t.open();
  auto ids = s.contacts_add({person("王五", "+8613800138000", "销售"), person("赵六", "+8613800138001", "销售")}, 0, "",
                            "li")
                 .ids;
  Store::ContactEdit e;
  e.number = "+8613800138001";
  CHECK(s.contact_edit(ids[0], e, "li") ==
        "+8613800138001 is already in the address book of department '销售' as '赵六' (contact " +
            std::to_string(ids[1]) + ")");
  CHECK(s.contact(ids[0])->number == "+8613800138000");   // unchanged
  e = {};
  e.name = "王五五";
  e.fields = std::vector<std::pair<std::string, std::string>>{{"工号", "007"}};
  CHECK(s.contact_edit(ids[0], e, "wang").empty());
  auto c = s.contact(ids[0]);
  CHECK(c->name == "王五五");
  REQUIRE(c->fields.size() == 1);
  CHECK(c->fields[0].second == "007");
  CHECK(s.contact_edit(999, e, "wang") == "no contact 999");
  auto log = s.find_audit({});
  CHECK(log.back().action == "contact edit");
  CHECK(log.back().actor == "wang");
  CHECK(log.back().object == "contact:" + std::to_string(ids[0]));
  CHECK(log.back().details == "name '王五' -> '王五五'; free fields");
}

TEST_CASE("contacts: pages by key, filters by department, group and search text", "[db][contacts]") {
  TempDb t;
  auto s = t.open();
  std::vector<Store::Contact> many;
  for (int i = 0; i < 25; ++i)
    many.push_back(person("住户" + std::to_string(i), "+86139551100" + std::to_string(10 + i), i % 2 ? "物业" : "销售",
                          {{"房号", std::to_string(100 + i) + "%"}}));
  auto ids = s.contacts_add(many, 0, "", "li").ids;

  // Pages of 10 by id: 10, 10, 5, then nothing; no row twice, none left out.
  std::vector<std::string> seen;
  Store::ContactQuery q;
  q.limit = 10;
  for (int page = 0; page < 4; ++page) {
    auto got = s.contacts(q);
    CHECK(got.size() == (page < 2 ? 10u : page == 2 ? 5u : 0u));
    for (const auto& c : got) seen.push_back(c.number);
    if (!got.empty()) q.after_id = got.back().id;
  }
  CHECK(seen == numbers(many));

  Store::ContactQuery d;
  d.department = "物业";
  CHECK(s.contacts(d).size() == 12);
  Store::ContactQuery f;
  f.search = "住户1";    // 住户1, 住户10 ... 住户19
  CHECK(s.contacts(f).size() == 11);
  f.search = "55110012";  // a piece of a number
  CHECK(numbers(s.contacts(f)) == std::vector<std::string>{"+8613955110012"});
  f.search = "107%";     // a free field's value; % is a character, not a wildcard
  CHECK(numbers(s.contacts(f)) == std::vector<std::string>{"+8613955110017"});
  f.search = "%";
  CHECK(s.contacts(f).size() == 25);

  std::int64_t g = 0;
  REQUIRE(s.group_add("业主", "物业", "", "li", &g).empty());
  s.group_add_members(g, {ids[1], ids[3], ids[5]}, "li");
  Store::ContactQuery m;
  m.group = g;
  CHECK(numbers(s.contacts(m)) == std::vector<std::string>{many[1].number, many[3].number, many[5].number});
  m.search = "住户3";
  CHECK(numbers(s.contacts(m)) == std::vector<std::string>{many[3].number});
}

TEST_CASE("groups: add, members, remove; a group's contacts stay", "[db][contacts]") {
  TempDb t;
  auto s = t.open();
  auto ids = s.contacts_add({person("甲", "+8613800000001"), person("乙", "+8613800000002"), person("丙", "+8613800000003")},
                            0, "", "li")
                 .ids;
  std::int64_t duty = 0;
  CHECK(s.group_add("值班", "", "110 on duty", "li", &duty).empty());
  CHECK(s.group_add("值班", "", "", "li") == "group '值班' already exists in no department");
  CHECK(s.group_add("值班", "指挥中心", "", "li").empty());   // the same name in another department
  CHECK(s.group_add("", "", "", "li") == "a group needs a name");

  auto m = s.group_add_members(duty, {ids[0], ids[1], ids[1], 999}, "li");
  CHECK(m.changed == 2);
  CHECK(m.unchanged == 1);
  CHECK(m.missing == 1);
  auto g = s.group("值班", "");
  REQUIRE(g);
  CHECK(g->id == duty);
  CHECK(g->members == 2);
  CHECK(g->note == "110 on duty");
  CHECK(s.groups(std::nullopt).size() == 2);
  CHECK(s.groups(std::string("指挥中心")).size() == 1);

  // An import straight into the group: new contacts and a duplicate both join.
  auto r = s.contacts_add({person("丁", "+8613800000004"), person("丙", "+8613800000003")}, duty, "", "li");
  CHECK(r.added == 1);
  CHECK(r.duplicate == 1);
  CHECK(r.joined == 2);
  CHECK(s.group(duty)->members == 4);

  auto out = s.group_remove_members(duty, {ids[0], ids[0]}, "wang");
  CHECK(out.changed == 1);
  CHECK(out.unchanged == 1);
  CHECK(s.group(duty)->members == 3);

  // Removing a contact removes its memberships; removing the group keeps the contacts.
  CHECK(s.contacts_remove({ids[1], 12345}, "wang") == 1);
  CHECK(s.group(duty)->members == 2);
  CHECK(s.group_remove(duty, "wang"));
  CHECK_FALSE(s.group_remove(duty, "wang"));
  CHECK(scalar(s, "SELECT count(*) FROM contacts") == "3");
  CHECK(scalar(s, "SELECT count(*) FROM group_members") == "0");
  auto log = s.find_audit({});
  CHECK(log.back().action == "group remove");
  CHECK(log.back().details == "'值班' in no department with 2 member(s); the contacts stay");
}

TEST_CASE("contacts: removing one leaves what was sent to it as it was", "[db][contacts]") {
  TempDb t;
  auto s = t.open();
  auto id = s.contacts_add({person("张三", "+8613955112345", "", {{"车牌", "皖A12345"}})}, 0, "", "li").ids[0];
  exec(s, "INSERT INTO outbox(recipient, text, status) VALUES ('+8613955112345', '张三您好，您的车辆皖A12345已入库', 'sent')");
  CHECK(s.contacts_remove({id}, "li") == 1);
  CHECK_FALSE(s.contact(id));
  CHECK(scalar(s, "SELECT count(*) FROM contact_fields") == "0");
  CHECK(scalar(s, "SELECT recipient || ' ' || text || ' ' || status FROM outbox") ==
        "+8613955112345 张三您好，您的车辆皖A12345已入库 sent");
}

TEST_CASE("contacts: the queries that page and look up use an index", "[db][contacts]") {
  TempDb t;
  auto s = t.open();
  auto plan = [&](const std::string& sql) {
    std::string out;
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(s.handle(), ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &st, nullptr) == SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) out += std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 3))) + "\n";
    sqlite3_finalize(st);
    return out;
  };
  // A sender's contacts (replies, forwarding), a group's members, a department's page.
  CHECK_THAT(plan("SELECT id FROM contacts WHERE number = '+8613800138000'"), Catch::Contains("INDEX contacts_number"));
  CHECK_THAT(plan("SELECT contact_id FROM group_members WHERE group_id = 3 AND contact_id > 100"),
             Catch::Contains("USING PRIMARY KEY"));
  CHECK_THAT(plan("SELECT id FROM contacts WHERE id > 100 ORDER BY id LIMIT 50"),
             Catch::Contains("INTEGER PRIMARY KEY"));
}
