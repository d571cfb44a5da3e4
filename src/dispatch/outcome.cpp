#include "src/dispatch/outcome.hpp"

#include <fmt/format.h>

namespace sms::dispatch {

std::string_view to_string(Decision::Kind k) {
  switch (k) {
    case Decision::Kind::sent: return "sent";
    case Decision::Kind::retry: return "retry";
    case Decision::Kind::failed: return "failed";
    case Decision::Kind::give_back: return "give back";
    case Decision::Kind::unknown: return "unknown";
  }
  return "?";
}

int retry_delay(const RetryPolicy& p, int attempt) {
  if (p.retry_delays_s.empty()) return 60;
  if (attempt < 1) attempt = 1;
  std::size_t i = static_cast<std::size_t>(attempt - 1);
  if (i >= p.retry_delays_s.size()) i = p.retry_delays_s.size() - 1;
  return p.retry_delays_s[i];
}

Decision decide(const modem::SendOutcome& o, bool handed, int attempts, int total_parts, const RetryPolicy& p,
                int earlier_parts) {
  using K = Decision::Kind;
  const std::string why = o.error.empty() ? std::string(modem::to_string(o.failure)) : o.error;

  if (o.failure == modem::Failure::none) return {K::sent, {}, 0};

  // Some parts already went out: sending the message again would deliver them
  // twice, so a person decides (smsctl retry sends only the missing ones, or
  // retry --whole, or cancel).
  if (o.parts_accepted > 0) {
    const int went = earlier_parts + o.parts_accepted;
    std::string r = fmt::format("only {} of {} parts were sent", went, total_parts);
    if (earlier_parts > 0) r += fmt::format(" ({} earlier, {} on this retry)", earlier_parts, o.parts_accepted);
    r += ", then: " + why;
    // The next part was written but not confirmed: the network may have it.
    if (o.uncertain && went < total_parts)
      r += fmt::format("; part {} was written to the modem without an answer and may have gone out too", went + 1);
    return {K::unknown, std::move(r), 0};
  }
  // The PDU was written but no final answer came: the network may have it.
  if (o.uncertain) return {K::unknown, fmt::format("no final answer from the modem after the PDU was written: {}", why), 0};

  if (o.failure == modem::Failure::modem && !handed) return {K::give_back, why, 0};

  if (o.failure == modem::Failure::permanent) return {K::failed, why, 0};

  // temporary, or a modem failure after handing that the modem says did not go
  if (attempts >= p.max_attempts)
    return {K::failed, fmt::format("{} (gave up after {} attempts)", why, attempts), 0};
  return {K::retry, why, retry_delay(p, attempts)};
}

}  // namespace sms::dispatch
