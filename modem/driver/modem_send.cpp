// Sending: AT+CMGS=<length>, the "> " prompt, PDU + Ctrl-Z, +CMGS: <mr>
// (27.005 3.5.1), with AT+CMMS=1 (3.5.6) keeping the radio link open while
// more parts or messages follow.
#include "modem/driver/modem_impl.hpp"  // first: it fixes Boost 1.74's <utility> omission

#include <fmt/format.h>

#include "modem/at/errors.hpp"
#include "modem/at/results.hpp"
#include "modem/common/log.hpp"

namespace sms::modem {

namespace {
Failure failure_of(at::ErrorClass c) {
  switch (c) {
    case at::ErrorClass::permanent: return Failure::permanent;
    case at::ErrorClass::temporary: return Failure::temporary;
    case at::ErrorClass::modem: return Failure::modem;
  }
  return Failure::temporary;
}
// The link closes 1-5 s after the last answer (27.005 3.5.6 mode 1); ask
// again when the last answer is older than the short end of that range.
constexpr auto kCmmsHold = std::chrono::milliseconds(1000);
}  // namespace

Awaitable<void> Modem::Impl::send_one(SendJob job) {
  SendOutcome out;
  const int n = static_cast<int>(job.parts.size());
  for (int i = 0; i < n; ++i) {
    if (stopping || lost) {
      out.failure = Failure::modem;
      out.error = stopping ? "shutting down" : lost_reason;
      break;
    }
    const bool more = i + 1 < n || job.more_follow || !sends.empty();
    if (more && cmms_supported.value_or(true) && Clock::now() >= cmms_open_until) {
      Reply c = co_await exec("AT+CMMS=1");
      if (c.status == Reply::Status::final) {
        if (!c.ok() && !cmms_supported) log::info(cfg.id, "modem refuses AT+CMMS=1 ({}): sending without it", c.describe());
        cmms_supported = c.ok();
      }
    }
    const PduToSend& part = job.parts[static_cast<std::size_t>(i)];
    Request r;
    r.text = fmt::format("AT+CMGS={}", part.tpdu_length);
    r.timeout = cfg.timeouts.prompt;
    r.submit_timeout = cfg.timeouts.submit;
    r.pdu = part.hex;
    if (job.on_handing) {
      auto handing = job.on_handing;
      r.on_prompt = [handing, i, id = cfg.id] {
        try {
          handing(i);
        } catch (const std::exception& e) {
          log::error(id, "handing handler threw: {}", e.what());
        }
      };
    }
    Reply reply = co_await exec(std::move(r));
    if (reply.ok()) {
      cmms_open_until = Clock::now() + kCmmsHold;
      int mr = -1;
      if (auto v = reply.value("+CMGS:")) {
        auto parsed = at::parse_cmgs(*v);
        if (parsed) mr = *parsed;
      }
      if (mr < 0) log::warn(cfg.id, "part {}/{} accepted without a readable +CMGS: line", i + 1, n);
      out.references.push_back(mr);
      continue;
    }
    // The part failed: the message stops here (the owner decides about the rest).
    switch (reply.status) {
      case Reply::Status::final: {
        const auto& f = reply.final;
        if (f.code == at::FinalCode::cms_error && f.number) out.cms_error = *f.number;
        out.failure = failure_of(at::classify_send_failure(f));
        out.error = at::describe(f);
        // A modem-level refusal (SIM gone, not registered...): check the modem is still there.
        if (out.failure == Failure::modem) need_probe = true;
        break;
      }
      case Reply::Status::prompt_timeout:
        out.failure = Failure::temporary;
        out.error = reply.error + " (ESC sent, nothing handed over)";
        break;
      case Reply::Status::timeout:
        out.failure = Failure::modem;
        out.uncertain = reply.pdu_written;
        out.error = reply.error;
        break;
      case Reply::Status::closed:
        out.failure = Failure::modem;
        out.uncertain = reply.pdu_written;
        out.error = reply.error;
        break;
    }
    if (n > 1) out.error = fmt::format("part {}/{}: {}", i + 1, n, out.error);
    log::warn(cfg.id, "send failed ({}): {}{}", to_string(out.failure), out.error, out.uncertain ? " (maybe sent)" : "");
    break;
  }
  finish_send(job, std::move(out));
  co_return;
}

}  // namespace sms::modem
