// The server's lists in memory (ListCache, schema 6): whatever changes
// number_lists (the store's own calls, which patch the copy, an opt-out by
// SMS, another program's INSERT, UPDATE or DELETE, a big import, a rolled
// back transaction), the copy answers exactly what the table answers.
#include <catch2/catch.hpp>

#include <random>

#include "tests/db/temp_db.hpp"

using namespace sms::db;
using sms::db::test::exec;
using sms::db::test::TempDb;

namespace {

// Numbers that pack (E.164) and some that do not, and pairs that must not
// meet: "+86..." and "+086...", a number and its prefix.
const std::vector<std::string> kNumbers = {
    "+8613955112345", "+08613955112345", "+861395511234", "+8613955112346", "+4915100000000",
    "+1",             "+12345678901234567", "10086",       "95588",          "+86 139",
    "",               "+8613800138000"};

const char* kLists[] = {"whitelist", "blacklist", "optout"};

// Every number the test touches, answered by the cached and the plain store.
void agree(Store& cached, Store& plain, const std::vector<std::string>& numbers) {
  for (const auto& n : numbers) {
    INFO("number '" << n << "'");
    REQUIRE(cached.number_lists(n) == plain.number_lists(n));
  }
}

std::string q(const std::string& s) { return "'" + s + "'"; }

}  // namespace

TEST_CASE("list cache: answers as the table does after every kind of change", "[db][policy][lists]") {
  TempDb t;
  auto plain = t.open();
  auto cached = t.open();
  cached.set_list_cache(std::make_shared<ListCache>());
  std::vector<std::string> seen = kNumbers;

  agree(cached, plain, seen);   // empty lists: loaded once, nothing on them

  plain.list_add("whitelist", {"+8613955112345", "10086", "+1"}, "", "smsctl", "li");
  plain.list_add("blacklist", {"+8613955112345"}, "", "smsctl", "li");
  agree(cached, plain, seen);
  CHECK(cached.number_lists("+8613955112345") == 3u);
  CHECK(cached.number_lists("+08613955112345") == 0u);
  CHECK(cached.number_lists("10086") == 1u);

  // Another program changes the table directly.
  exec(plain, "INSERT INTO number_lists(number, list) VALUES ('+08613955112345', 'optout')");
  exec(plain, "UPDATE number_lists SET list = 'optout' WHERE number = '10086'");
  exec(plain, "UPDATE number_lists SET number = '95588' WHERE number = '+1'");
  exec(plain, "DELETE FROM number_lists WHERE number = '+8613955112345' AND list = 'blacklist'");
  agree(cached, plain, seen);
  CHECK(cached.number_lists("10086") == 4u);
  CHECK(cached.number_lists("+1") == 0u);
  CHECK(cached.number_lists("95588") == 1u);

  // An opt-out by SMS, on the cached connection (the copy is patched) and
  // on another (the copy is read again).
  cached.record_optout("+8613955112346", 2, "TD", {"bulk"}, "notice",
                       [](const std::string& r) { return r == "+8613955112346"; }, "", "");
  CHECK(plain.number_lists("+8613955112346") == 4u);
  agree(cached, plain, seen);
  plain.record_optout("+4915100000000", 1, "STOP", {"bulk"}, "notice",
                      [](const std::string& r) { return r == "+4915100000000"; }, "", "");
  agree(cached, plain, seen);
  CHECK(cached.number_lists("+4915100000000") == 4u);

  // A change inside an open transaction of the cached connection's own:
  // seen at once (same transaction), and not after a rollback.
  exec(cached, "BEGIN IMMEDIATE");
  exec(cached, "INSERT INTO number_lists(number, list) VALUES ('+8613800138000', 'blacklist')");
  CHECK(cached.number_lists("+8613800138000") == 2u);
  exec(cached, "ROLLBACK");
  agree(cached, plain, seen);
  CHECK(cached.number_lists("+8613800138000") == 0u);
}

TEST_CASE("list cache: a big import is read again whole", "[db][policy][lists]") {
  TempDb t;
  auto plain = t.open();
  auto cached = t.open();
  cached.set_list_cache(std::make_shared<ListCache>());
  CHECK(cached.number_lists("+8613955110000") == 0u);

  // On the cached connection itself: more numbers than it patches one by one.
  std::vector<std::string> many;
  for (int i = 0; i < 60000; ++i) many.push_back("+86139551" + std::to_string(10000 + i));
  cached.list_add("whitelist", many, "", "import numbers.txt", "li");
  std::vector<std::string> sample = {"+8613955110000", "+8613955169999", "+8613955170000", "+861395511000"};
  agree(cached, plain, sample);
  CHECK(cached.number_lists("+8613955169999") == 1u);
  // Then by another process.
  plain.list_add("optout", {"+8613955110000"}, "", "smsctl", "li");
  plain.list_remove("whitelist", {"+8613955169999"}, "li");
  agree(cached, plain, sample);
  CHECK(cached.number_lists("+8613955110000") == 5u);
  CHECK(cached.number_lists("+8613955169999") == 0u);
}

TEST_CASE("list cache: random changes from two connections, checked after each", "[db][policy][lists]") {
  TempDb t;
  auto plain = t.open();
  auto cached = t.open();
  auto shared = std::make_shared<ListCache>();
  cached.set_list_cache(shared);
  auto second = t.open();   // a second worker of the same process
  second.set_list_cache(shared);
  std::mt19937 rng(7);
  auto number = [&] { return kNumbers[rng() % kNumbers.size()]; };
  for (int round = 0; round < 400; ++round) {
    const std::string n = number(), l = kLists[rng() % 3];
    Store& writer = rng() % 2 ? plain : cached;
    switch (rng() % 6) {
      case 0: writer.list_add(l, {n, number()}, "", "smsctl", "li"); break;
      case 1: writer.list_remove(l, {n}, "li"); break;
      case 2: exec(writer, "INSERT OR IGNORE INTO number_lists(number, list) VALUES (" + q(n) + ", " + q(l) + ")"); break;
      case 3: exec(writer, "DELETE FROM number_lists WHERE number = " + q(n)); break;
      case 4:
        exec(writer, "UPDATE OR IGNORE number_lists SET number = " + q(number()) + " WHERE number = " + q(n));
        break;
      case 5:
        writer.record_optout(n, round, "TD", {"bulk"}, "notice", [&n](const std::string& r) { return r == n; }, "",
                             "");
        break;
    }
    INFO("round " << round);
    agree(rng() % 2 ? cached : second, plain, kNumbers);
  }
}

TEST_CASE("list cache: an own change on a stale copy does not hide another's change", "[db][policy][lists]") {
  TempDb t;
  auto plain = t.open();
  auto cached = t.open();
  cached.set_list_cache(std::make_shared<ListCache>());
  cached.load_lists();
  // Another program lists X; before the copy looks again, the cached
  // connection changes Y itself. Patching only Y would miss X.
  plain.list_add("blacklist", {"+8613800138000"}, "", "smsctl", "li");
  cached.list_add("whitelist", {"+8613955112345"}, "", "smsctl", "li");
  CHECK(cached.number_lists("+8613800138000") == 2u);
  CHECK(cached.number_lists("+8613955112345") == 1u);
  // And the other way: the copy current, an own opt-out patched in, then
  // another program removes it.
  cached.record_optout("+8613955112346", 1, "TD", {"bulk"}, "notice",
                       [](const std::string& r) { return r == "+8613955112346"; }, "", "");
  CHECK(cached.number_lists("+8613955112346") == 4u);
  exec(plain, "DELETE FROM number_lists WHERE number = '+8613955112346'");
  CHECK(cached.number_lists("+8613955112346") == 0u);
}
