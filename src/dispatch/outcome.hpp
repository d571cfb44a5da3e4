#pragma once
// What the server records after the modem answered a send: a pure decision,
// so the retry/backoff rules are testable without a modem or a database.
#include <string>
#include <vector>

#include "modem/driver/modem.hpp"

namespace sms::dispatch {

struct RetryPolicy {
  int max_attempts = 5;                               // dispatch.max_attempts
  std::vector<int> retry_delays_s{10, 60, 300, 900};  // delay after attempt n is [n-1]; the last repeats
};

struct Decision {
  enum class Kind {
    sent,       // record_sent(references)
    retry,      // record_retry(reason, delay_s)
    failed,     // record_failed(reason)
    give_back,  // never handed to the modem: back to 'queued', attempt not counted
    unknown,    // may have reached the network: record_unknown(reason)
  } kind = Kind::sent;
  std::string reason;
  int delay_s = 0;
};
std::string_view to_string(Decision::Kind k);

// Seconds to wait after the attempt-th attempt (1-based) failed temporarily.
int retry_delay(const RetryPolicy& p, int attempt);

// attempts: the row's attempt count including this one (the claim added it).
// handed:   on_handing was called for at least one part.
// total_parts: how many parts the message has.
// earlier_parts: parts that went out before this send (the rest of a partly
//                sent message is being sent); only the words depend on it.
Decision decide(const modem::SendOutcome& o, bool handed, int attempts, int total_parts, const RetryPolicy& p,
                int earlier_parts = 0);

}  // namespace sms::dispatch
