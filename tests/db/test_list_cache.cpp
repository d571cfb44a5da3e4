// The server's lists in memory (ListCache, schema 6): whatever changes
// number_lists (the store's own calls, an opt-out by SMS, another program's
// INSERT, UPDATE or DELETE, a big import, someone emptying the change log),
// the copy answers exactly what the table answers at that moment.
#include <catch2/catch.hpp>

#include <random>

#include "tests/db/temp_db.hpp"

using namespace sms::db;
using sms::db::test::exec;
using sms::db::test::scalar;
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
  // The copy has read the log and emptied it.
  CHECK(scalar(plain, "SELECT count(*) FROM number_list_changes") == "0");

  // Another program changes the table directly.
  exec(plain, "INSERT INTO number_lists(number, list) VALUES ('+08613955112345', 'optout')");
  exec(plain, "UPDATE number_lists SET list = 'optout' WHERE number = '10086'");
  exec(plain, "UPDATE number_lists SET number = '95588' WHERE number = '+1'");
  exec(plain, "DELETE FROM number_lists WHERE number = '+8613955112345' AND list = 'blacklist'");
  agree(cached, plain, seen);
  CHECK(cached.number_lists("10086") == 4u);
  CHECK(cached.number_lists("+1") == 0u);
  CHECK(cached.number_lists("95588") == 1u);

  // An opt-out by SMS.
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

TEST_CASE("list cache: a big import and a cleared log are read again whole", "[db][policy][lists]") {
  TempDb t;
  auto plain = t.open();
  auto cached = t.open();
  cached.set_list_cache(std::make_shared<ListCache>());
  CHECK(cached.number_lists("+8613955110000") == 0u);

  // More changed numbers than the copy patches one by one.
  std::vector<std::string> many;
  for (int i = 0; i < 60000; ++i) many.push_back("+86139551" + std::to_string(10000 + i));
  plain.list_add("whitelist", many, "", "import numbers.txt", "li");
  std::vector<std::string> sample = {"+8613955110000", "+8613955169999", "+8613955170000", "+861395511000"};
  agree(cached, plain, sample);
  CHECK(cached.number_lists("+8613955169999") == 1u);
  CHECK(scalar(plain, "SELECT count(*) FROM number_list_changes") == "0");

  // Someone deletes log rows the copy has not read: it cannot patch, so it
  // reads the table again.
  plain.list_add("optout", {"+8613955110000"}, "", "smsctl", "li");
  plain.list_remove("whitelist", {"+8613955169999"}, "li");
  exec(plain, "DELETE FROM number_list_changes");
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
    switch (rng() % 5) {
      case 0: writer.list_add(l, {n, number()}, "", "smsctl", "li"); break;
      case 1: writer.list_remove(l, {n}, "li"); break;
      case 2: exec(writer, "INSERT OR IGNORE INTO number_lists(number, list) VALUES (" + q(n) + ", " + q(l) + ")"); break;
      case 3: exec(writer, "DELETE FROM number_lists WHERE number = " + q(n)); break;
      case 4:
        exec(writer, "UPDATE OR IGNORE number_lists SET number = " + q(number()) + " WHERE number = " + q(n));
        break;
    }
    INFO("round " << round);
    agree(rng() % 2 ? cached : second, plain, kNumbers);
  }
}
