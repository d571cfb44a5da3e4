// Which lists a number is on (number_lists), for the claim gate: straight
// from the table, or from a server process's copy in memory (ListCache),
// current as long as list_version (schema 6, kept by triggers) has not moved.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "db/store_rows.hpp"
#include "modem/common/log.hpp"

namespace sms::db {

using detail::Conn;
using detail::Query;

namespace {

unsigned list_bit(const std::string& list) {
  return list == "whitelist" ? 1u : list == "blacklist" ? 2u : list == "optout" ? 4u : 0u;
}

unsigned table_lists(Conn& c, const std::string& number) {
  unsigned mask = 0;
  Query q(c, "SELECT list FROM number_lists WHERE number = ?1");
  q.bind(1, number);
  while (q.step()) mask |= list_bit(q.text(0));
  return mask;
}

std::int64_t list_version(Conn& c) {
  Query q(c, "SELECT n FROM list_version WHERE id = 1");
  return q.step() ? q.int64(0) : 0;
}

// "+" and 1 to 17 digits (every E.164 number) as one integer; the length in
// the top bits keeps "+86..." and "+086..." apart. Other spellings do not pack.
std::optional<std::uint64_t> pack(const std::string& number) {
  if (number.size() < 2 || number.size() > 18 || number[0] != '+') return std::nullopt;
  std::uint64_t value = 0;
  for (std::size_t i = 1; i < number.size(); ++i) {
    const char d = number[i];
    if (d < '0' || d > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(d - '0');
  }
  return (static_cast<std::uint64_t>(number.size() - 1) << 57) | value;
}

}  // namespace

struct ListCache::Impl {
  std::mutex mu;
  bool loaded = false;
  std::int64_t version = 0;   // list_version.n the copy matches
  // Every listed number that packs, sorted, with its lists: 9 bytes a number
  // (a hash node would take 64; a million-number whitelist is 9 MB).
  std::vector<std::uint64_t> keys;
  std::vector<std::uint8_t> masks;
  // Numbers that do not pack, and numbers this process changed since the
  // table was read (their lists now, 0 = none): looked at first.
  std::unordered_map<std::string, std::uint8_t> extra;
  // Past this many, the table is read again whole at the next claim.
  static constexpr std::size_t kMaxExtra = 50000;

  // Brings the copy to the table's version (under mu).
  void current(Conn& c, std::int64_t table_version) {
    if (!loaded || version != table_version) load(c, table_version);
  }

  unsigned find(const std::string& number) const {
    if (!extra.empty()) {
      auto e = extra.find(number);
      if (e != extra.end()) return e->second;
    }
    const auto key = pack(number);
    if (!key) return 0;
    auto it = std::lower_bound(keys.begin(), keys.end(), *key);
    return it != keys.end() && *it == *key ? masks[static_cast<std::size_t>(it - keys.begin())] : 0u;
  }

  void load(Conn& c, std::int64_t at_version) {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::pair<std::uint64_t, std::uint8_t>> rows;
    extra.clear();
    // In whatever order SQLite scans (it may take the index on list).
    Query q(c, "SELECT number, list FROM number_lists");
    while (q.step()) {
      const std::string number = q.text(0);
      const auto bit = static_cast<std::uint8_t>(list_bit(q.text(1)));
      if (auto key = pack(number)) rows.emplace_back(*key, bit);
      else extra[number] |= bit;
    }
    std::sort(rows.begin(), rows.end());
    keys.clear();
    masks.clear();
    keys.reserve(rows.size());
    masks.reserve(rows.size());
    for (const auto& [key, bit] : rows) {   // a number on two lists: one entry
      if (!keys.empty() && keys.back() == key) {
        masks.back() |= bit;
      } else {
        keys.push_back(key);
        masks.push_back(bit);
      }
    }
    keys.shrink_to_fit();
    masks.shrink_to_fit();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    sms::log::info("db", "policy lists read into memory: {} numbers in {} ms", keys.size() + extra.size(), ms.count());
    version = at_version;
    loaded = true;
  }
};

ListCache::ListCache() : impl(std::make_unique<Impl>()) {}
ListCache::~ListCache() = default;

unsigned Store::number_lists(const std::string& e164) {
  if (!conn_->lists) return table_lists(*conn_, e164);
  auto& m = *conn_->lists->impl;
  // Inside the claim's transaction the version and the rows are one
  // snapshot. Outside one, a change between the two reads only makes the
  // next call read the table again.
  const std::int64_t v = list_version(*conn_);
  std::lock_guard lock(m.mu);
  m.current(*conn_, v);
  return m.find(e164);
}

void Store::set_list_cache(std::shared_ptr<ListCache> cache) { conn_->lists = std::move(cache); }

void Store::load_lists() {
  if (!conn_->lists) return;
  detail::ReadTx tx(*conn_);
  auto& m = *conn_->lists->impl;
  const std::int64_t v = list_version(*conn_);
  std::lock_guard lock(m.mu);
  m.current(*conn_, v);
}

namespace detail {

ListEdit::ListEdit(Conn& c) : c_(c) {
  if (c_.lists) from_ = list_version(c_);
}

void ListEdit::touched(const std::string& number) {
  if (c_.lists && numbers_.size() <= ListCache::Impl::kMaxExtra) numbers_.push_back(number);
}

void ListEdit::before_commit() {
  if (!c_.lists || numbers_.size() > ListCache::Impl::kMaxExtra) return;
  to_ = list_version(c_);
  masks_.clear();
  for (const auto& n : numbers_) masks_.push_back(table_lists(c_, n));
}

void ListEdit::after_commit() {
  if (!c_.lists || to_ < 0 || to_ == from_) return;
  auto& m = *c_.lists->impl;
  std::lock_guard lock(m.mu);
  // The write lock was held from `from_` to `to_`: nothing else changed the
  // lists in between, so the copy at `from_` plus these numbers is the table
  // at `to_`. A copy at any other version is read again at the next claim.
  if (!m.loaded || m.version != from_) return;
  for (std::size_t i = 0; i < numbers_.size(); ++i) m.extra[numbers_[i]] = static_cast<std::uint8_t>(masks_[i]);
  m.version = to_;
  if (m.extra.size() > ListCache::Impl::kMaxExtra) m.loaded = false;
}

}  // namespace detail

}  // namespace sms::db
