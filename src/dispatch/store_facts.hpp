#pragma once
// The policy's facts (list membership, counters) read from a Store, on its
// connection: inside the claim transaction when the claim gate asks, or
// outside any transaction for `smsctl policy check`.
#include "db/store.hpp"
#include "src/policy/policy.hpp"

namespace sms::dispatch {

class StoreFacts final : public policy::Facts {
 public:
  explicit StoreFacts(db::Store& store) : store_(store) {}
  unsigned lists(const std::string& e164) override { return store_.number_lists(e164); }
  std::int64_t count(const std::string& key) override { return store_.counter(key); }
  void counts(const std::vector<std::string>& keys, std::vector<std::int64_t>& out) override {
    store_.counters(keys, out);
  }

 private:
  db::Store& store_;
};

}  // namespace sms::dispatch
