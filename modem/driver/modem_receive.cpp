// Receiving: URCs, reading and deleting stored messages (only after the owner
// confirmed it stored them), sweeps, direct delivery with +CNMA, and the
// periodic health check (27.005 3.4-3.5, 27.007 7.2/8.5).
#include "modem/driver/modem_impl.hpp"  // first: it fixes Boost 1.74's <utility> omission

#include <fmt/format.h>

#include <exception>

#include "modem/at/results.hpp"
#include "modem/common/log.hpp"
#include "modem/driver/replies.hpp"

namespace sms::modem {

bool Modem::Impl::hand_over(const Incoming& msg) {
  if (!on_incoming) return false;
  try {
    return on_incoming(msg);
  } catch (const std::exception& e) {
    log::error(cfg.id, "incoming-message handler threw: {} (message left on the modem)", e.what());
    return false;
  }
}

void Modem::Impl::on_urc(const at::Event& e) {
  switch (e.urc) {
    case at::Urc::cmti:
    case at::Urc::cdsi: {
      if (!cfg.handle_incoming) return;
      auto where = at::parse_cmti(e.line);
      if (!where) {
        log::warn(cfg.id, "unreadable {}: {}", e.line, where.error());
        sweep_due = true;  // the sweep finds it anyway
      } else {
        const auto kind = e.urc == at::Urc::cmti ? Incoming::Kind::deliver : Incoming::Kind::status_report;
        reads.push_back(StoredRef{where->storage, where->index, kind});
      }
      wake();
      return;
    }
    case at::Urc::cmt:
    case at::Urc::cds: {
      // Direct delivery: hand over now; acknowledge (27.005 3.4.4 +CNMA) only
      // once the owner stored it, else the network delivers it again.
      if (e.pdu.empty()) {
        log::warn(cfg.id, "{} without its PDU line: ignored", e.line);
        return;
      }
      Incoming msg;
      msg.kind = e.urc == at::Urc::cmt ? Incoming::Kind::deliver : Incoming::Kind::status_report;
      msg.pdu = std::string(at::trim(e.pdu));
      if (!cfg.handle_incoming) return;
      const bool stored = hand_over(msg);
      if (stored && cnma_needed) {
        Request r;
        r.text = "AT+CNMA";
        r.timeout = cfg.timeouts.command;
        engine->submit(std::move(r), [id = cfg.id](Reply reply) {
          if (!reply.ok()) log::warn(id, "AT+CNMA: {}", reply.describe());
        });
      }
      if (!stored) log::info(cfg.id, "direct {} not stored by the owner: not acknowledged", msg.kind == Incoming::Kind::deliver ? "message" : "status report");
      return;
    }
    case at::Urc::creg: {
      auto reg = at::parse_creg(e.line);
      if (!reg) return;
      info.registered = reg->registered();
      info.roaming = reg->roaming();
      if (!initialised) return;
      if (info.registered && state_ == State::not_registered)
        set_state(State::ready, info.roaming ? "registered (roaming)" : "registered");
      else if (!info.registered && state_ == State::ready)
        set_state(State::not_registered, fmt::format("network registration lost ({})", e.line));
      return;
    }
    case at::Urc::rssi: {
      auto q = at::parse_huawei_rssi(e.line);
      if (q) {
        info.rssi = q->rssi;
        info.signal_dbm = q->dbm;
      }
      return;
    }
    case at::Urc::rdy:
      // The modem rebooted under us (power glitch, watchdog, AT+CFUN): echo,
      // +CMEE, +CNMI and maybe the PIN are back to their defaults.
      if (initialised) {
        log::warn(cfg.id, "the modem restarted ({})", e.line);
        restarted = true;
        wake();
      }
      return;
    default:
      if (e.urc == at::Urc::unknown && e.line.find("MEMFULL") != std::string::npos) {
        // Huawei ^SMMEMFULL: "SM": storage full; the sweep empties what the owner stored.
        sweep_due = true;
        wake();
      }
      log::debug(cfg.id, "URC {}", e.line);
      return;
  }
}

Awaitable<bool> Modem::Impl::use_storage(std::string name) {
  if (name.empty() || name == mem1_now) co_return true;
  Reply r = co_await exec_when_ready(fmt::format("AT+CPMS={}", at_quote(name)));
  if (r.ok())
    mem1_now = name;
  else
    log::warn(cfg.id, "cannot select storage {}: {}", name, r.describe());
  co_return r.ok();
}

Awaitable<void> Modem::Impl::read_stored(std::string where, int index, Incoming::Kind kind) {
  if (where.empty()) where = storage;
  const bool selected = co_await use_storage(where);
  if (!selected) co_return;
  Reply r = co_await exec_when_ready(fmt::format("AT+CMGR={}", index));
  bool found = false;
  if (r.ok()) {
    for (const auto& resp : r.responses) {
      if (!resp.line.starts_with("+CMGR:")) continue;
      if (resp.pdu.empty()) {
        log::warn(cfg.id, "AT+CMGR={}: {} without a PDU line", index, resp.line);
        continue;
      }
      found = true;
      Incoming msg;
      msg.pdu = std::string(at::trim(resp.pdu));
      const int mti = tpdu_type(msg.pdu);
      msg.kind = mti == 2 ? Incoming::Kind::status_report : (mti == 0 ? Incoming::Kind::deliver : kind);
      msg.index = index;
      msg.storage = where;
      if (auto h = at::parse_cmgr(resp.line); h && h->stat) msg.stat = *h->stat;
      if (mti == 1) break;  // a stored outgoing message: not ours to take
      if (hand_over(msg)) {
        Reply d = co_await exec_when_ready(fmt::format("AT+CMGD={}", index));
        if (!d.ok()) log::warn(cfg.id, "AT+CMGD={} after storing: {}", index, d.describe());
      }
      break;
    }
    // Huawei/SIMCom answer a read of an empty slot with a bare OK: nothing to read.
    if (!found) log::debug(cfg.id, "AT+CMGR={}: empty slot", index);
  } else if (r.status == Reply::Status::final && is_empty_slot(r.final)) {
    log::debug(cfg.id, "AT+CMGR={}: {} (already gone)", index, r.describe());
  } else {
    log::warn(cfg.id, "reading message {} in {} failed: {}", index, where, r.describe());
    sweep_due = true;
  }
  co_await use_storage(storage);
  co_return;
}

Awaitable<Result<std::vector<Incoming>>> Modem::Impl::list(std::string where) {
  Reply r = co_await exec_when_ready("AT+CMGL=4", cfg.timeouts.list);  // 4: all messages (PDU mode, 27.005 3.4.2)
  if (!r.ok()) co_return make_error(fmt::format("AT+CMGL=4 on {}: {}", where, r.describe()));
  std::vector<Incoming> out;
  for (const auto& resp : r.responses) {
    auto h = at::parse_cmgl(resp.line);
    if (!h) {
      log::warn(cfg.id, "unreadable list line: {}", h.error());
      continue;
    }
    if (resp.pdu.empty()) continue;
    Incoming msg;
    msg.pdu = std::string(at::trim(resp.pdu));
    const int mti = tpdu_type(msg.pdu);
    if (mti == 1) continue;  // stored outgoing (stat 2/3): not an incoming message
    msg.kind = mti == 2 ? Incoming::Kind::status_report : Incoming::Kind::deliver;
    msg.index = h->index;
    msg.storage = where;
    if (h->stat) msg.stat = *h->stat;
    out.push_back(std::move(msg));
  }
  co_return out;
}

// Every stored message is offered to the owner and deleted once stored: this
// catches what arrived while nobody listened, or whose +CMTI was lost.
Awaitable<void> Modem::Impl::sweep_storage(std::string where) {
  const bool selected = co_await use_storage(where);
  if (!selected) co_return;
  auto listed = co_await list(where);
  if (!listed) {
    if (!stopping && !lost) log::warn(cfg.id, "sweep: {}", listed.error());
  } else {
    if (!listed->empty()) log::info(cfg.id, "sweep: {} message(s) stored in {}", listed->size(), where);
    for (const auto& msg : *listed) {
      if (stopping || lost) break;
      if (!hand_over(msg)) continue;
      Reply d = co_await exec_when_ready(fmt::format("AT+CMGD={}", msg.index));
      if (!d.ok()) log::warn(cfg.id, "AT+CMGD={} after storing: {}", msg.index, d.describe());
    }
  }
  co_await use_storage(storage);
  co_return;
}

Awaitable<void> Modem::Impl::sweep() {
  co_await sweep_storage(storage);
  // Status reports routed to SR storage (+CDSI) that were never announced.
  // Modems that route reports elsewhere refuse AT+CPMS="SR": asked once per session.
  if (cnmi_ds == 2 && storage_selected && !sr_refused && !stopping && !lost) {
    std::string sr = "SR";
    const bool selected = co_await use_storage(sr);
    if (selected)
      co_await sweep_storage(sr);
    else
      sr_refused = true;
  }
  co_await update_storage_use();
  co_return;
}

Awaitable<void> Modem::Impl::update_storage_use() {
  Reply r = co_await exec("AT+CPMS?");
  auto v = r.value("+CPMS:");
  if (!v) co_return;
  auto use = at::parse_cpms(*v);
  if (!use || use->empty()) co_return;
  // mem3 is where new messages land; report it (equal to mem1 when we chose SM for all).
  const auto& u = use->size() >= 3 ? (*use)[2] : use->front();
  info.storage_used = u.used;
  info.storage_total = u.total;
  if (!initialised) co_return;
  const bool full = u.total > 0 && u.used >= u.total;
  if (full && state_ != State::storage_full)
    set_state(State::storage_full, fmt::format("message storage {} full ({}/{}): receiving blocked", u.name.empty() ? storage : u.name, u.used, u.total));
  else if (!full && state_ == State::storage_full)
    set_state(info.registered ? State::ready : State::not_registered, fmt::format("message storage has room again ({}/{})", u.used, u.total));
  co_return;
}

Awaitable<void> Modem::Impl::health() {
  co_await refresh_network();
  if (lost || stopping || need_probe) co_return;
  if (info.registered && state_ == State::not_registered)
    set_state(State::ready, info.roaming ? "registered (roaming)" : "registered");
  else if (!info.registered && state_ == State::ready)
    set_state(State::not_registered, "network registration lost");
  // The owner sees fresh signal and operator values even without a state change.
  if (on_state) {
    try {
      on_state(state_, info, detail_);
    } catch (const std::exception& e) {
      log::error(cfg.id, "state handler threw: {}", e.what());
    }
  }
  co_return;
}

}  // namespace sms::modem
