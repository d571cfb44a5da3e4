// Which lists a number is on (number_lists), for the claim gate: straight
// from the table, or from a server process's copy in memory (ListCache),
// kept current through number_list_changes (schema 6).
#include <sqlite3.h>

#include <algorithm>
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

// "+" and 1 to 17 digits (every E.164 number) as one integer: the length in
// the top bits keeps "+86" and "+086" apart. Other spellings do not pack.
std::optional<std::uint64_t> pack(const std::string& number) {
  const std::size_t digits = number.size() - 1;
  if (number.size() < 2 || number[0] != '+' || digits > 17) return std::nullopt;
  std::uint64_t value = 0;
  for (std::size_t i = 1; i < number.size(); ++i) {
    const char d = number[i];
    if (d < '0' || d > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(d - '0');
  }
  return (static_cast<std::uint64_t>(digits) << 57) | value;
}

// The seq of the last change ever logged (0: none yet).
std::int64_t last_change(Conn& c) {
  Query q(c, "SELECT seq FROM sqlite_sequence WHERE name = 'number_list_changes'");
  return q.step() ? q.int64(0) : 0;
}

}  // namespace

struct ListCache::Impl {
  std::mutex mu;
  bool loaded = false;
  std::int64_t seq = 0;   // the last change the copy includes
  // Every listed number that packs, sorted, with its lists (16 bytes a
  // number instead of a hash node's 64: a million-number whitelist is 16 MB).
  std::vector<std::uint64_t> keys;
  std::vector<std::uint8_t> masks;
  // Numbers that do not pack, and numbers changed since `keys` was built
  // (their lists now, 0 = none): looked at first.
  std::unordered_map<std::string, std::uint8_t> extra;
  // Past this many changed numbers, the table is read again whole.
  static constexpr std::size_t kMaxExtra = 50000;

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

  void load_all(Conn& c) {
    std::vector<std::pair<std::uint64_t, std::uint8_t>> rows;
    extra.clear();
    // number_lists is keyed by (number, list): a number's rows are adjacent.
    Query q(c, "SELECT number, list FROM number_lists ORDER BY number");
    while (q.step()) {
      const std::string number = q.text(0);
      const auto bit = static_cast<std::uint8_t>(list_bit(q.text(1)));
      if (auto key = pack(number)) {
        if (!rows.empty() && rows.back().first == *key) rows.back().second |= bit;
        else rows.emplace_back(*key, bit);
      } else {
        extra[number] |= bit;
      }
    }
    std::sort(rows.begin(), rows.end());   // packed order is not text order
    keys.resize(rows.size());
    masks.resize(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      keys[i] = rows[i].first;
      masks[i] = rows[i].second;
    }
    keys.shrink_to_fit();
    masks.shrink_to_fit();
    loaded = true;
  }

  // Brings the copy up to `now` (the last change's seq, read in this
  // transaction) and deletes the log rows it has read.
  void catch_up(Conn& c, std::int64_t now) {
    if (loaded && now == seq) return;
    bool whole = !loaded || now < seq;   // now < seq: another database file was put in its place
    std::vector<std::string> changed;
    if (!whole) {
      Query q(c, "SELECT seq, number FROM number_list_changes WHERE seq > ?1 AND seq <= ?2 ORDER BY seq LIMIT ?3");
      q.bind(1, seq).bind(2, now).bind(3, static_cast<std::int64_t>(kMaxExtra + 1));
      std::int64_t expect = seq + 1;
      while (q.step()) {
        if (q.int64(0) != expect++) {   // rows this process did not read are gone: read everything
          whole = true;
          break;
        }
        changed.push_back(q.text(1));
      }
      if (expect != now + 1 || changed.size() > kMaxExtra) whole = true;
    }
    if (whole) {
      load_all(c);
    } else {
      std::sort(changed.begin(), changed.end());
      changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
      for (const auto& number : changed) extra[number] = static_cast<std::uint8_t>(table_lists(c, number));
      if (extra.size() > kMaxExtra) load_all(c);
    }
    seq = now;
    Query d(c, "DELETE FROM number_list_changes WHERE seq <= ?1");
    d.bind(1, now).run();
  }
};

ListCache::ListCache() : impl(std::make_unique<Impl>()) {}
ListCache::~ListCache() = default;

unsigned Store::number_lists(const std::string& e164) {
  if (!conn_->lists) return table_lists(*conn_, e164);
  auto& m = *conn_->lists->impl;
  const std::int64_t now = last_change(*conn_);
  std::lock_guard lock(m.mu);
  m.catch_up(*conn_, now);
  return m.find(e164);
}

void Store::set_list_cache(std::shared_ptr<ListCache> cache) { conn_->lists = std::move(cache); }

}  // namespace sms::db
