// Start-up: resynchronise with whatever state the modem is in, unlock the SIM
// (the PIN at most once), select PDU mode, storage and indications, read the
// identity and wait for the network (27.005 3.x, 27.007 5.x-8.x).
#include "modem/driver/modem_impl.hpp"  // first: it fixes Boost 1.74's <utility> omission

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include <algorithm>

#include "modem/at/errors.hpp"
#include "modem/at/results.hpp"
#include "modem/common/log.hpp"
#include "modem/driver/replies.hpp"

namespace sms::modem {

using std::chrono::milliseconds;

// Waits until the line has been quiet for a short window (bounded), so that
// anything a previous process or the modem's power-up left on the line has
// arrived before we judge an answer.
Awaitable<void> Modem::Impl::quiet() {
  const auto window = std::clamp<milliseconds>(cfg.timeouts.probe / 10, milliseconds(50), milliseconds(250));
  for (int i = 0; i < 8 && !stopping && !lost; ++i) {
    const auto before = engine->bytes_received();
    co_await sleep(window);
    if (engine->bytes_received() == before) break;
  }
  co_return;
}

// "AT" until a clean OK. A clean OK answers our AT with nothing unexpected
// around it: no late final result (stray), no unknown line (the "+CMGS: 254"
// a dead process's AT+CMGS left behind), no garbage, and nothing more after
// it within a quiet window. Otherwise that OK may have belonged to somebody
// else's command, and we try again. A silent modem may be waiting for a PDU
// (a previous process died after AT+CMGS=): ESC takes it back to command mode.
Awaitable<bool> Modem::Impl::resync(int attempts) {
  bool any_ok = false;
  for (int i = 0; i < attempts && !stopping && !lost; ++i) {
    const auto noise_before = engine->noise();
    // A named Request: g++ 12 destroys a braced aggregate temporary inside a
    // co_await expression twice (double free); never write one there.
    Request probe;
    probe.text = "AT";
    probe.timeout = cfg.timeouts.probe;
    Reply r = co_await async_submit(engine, std::move(probe));
    if (r.status == Reply::Status::closed) co_return false;
    if (r.status == Reply::Status::timeout) {
      log::debug(cfg.id, "no answer to AT (attempt {}/{})", i + 1, attempts);
      engine->write_raw("\x1b");
      continue;
    }
    co_await quiet();
    if (r.ok()) any_ok = true;
    if (r.ok() && r.responses.empty() && engine->noise() == noise_before) co_return true;
    log::debug(cfg.id, "answer to AT not clean ({}), resynchronising", r.describe());
  }
  // Some OKs came but never a clean one (a modem that prints noise all the
  // time): good enough, the parser keeps sorting late answers out as strays.
  co_return any_ok && !lost && !stopping;
}

Awaitable<Modem::Impl::InitEnd> Modem::Impl::initialise() {
  set_state(State::starting, "synchronising with the modem");
  // Some modems ignore the first AT right after the port opens: several tries.
  const bool answered = co_await resync(5);
  if (!answered) {
    if (lost || stopping) co_return InitEnd::failed;
    detail_ = fmt::format("no answer from the modem at {} baud on {} (wrong port or baud rate? modem off?)",
                          cfg.baud, cfg.port);
    co_return InitEnd::failed;
  }
  // Echo off (it is on after power-up and ATZ), numeric +CME errors (27.007 9.1).
  co_await exec("ATE0", cfg.timeouts.probe);
  co_await exec("AT+CMEE=1");
  if (lost || stopping) co_return InitEnd::failed;

  const InitEnd sim = co_await unlock_sim();
  if (sim != InitEnd::ok) co_return sim;

  // PDU mode (27.005 3.2.3): the only mode this driver speaks.
  Reply cmgf = co_await exec_when_ready("AT+CMGF=0");
  if (!cmgf.ok()) {
    if (!lost && !stopping)
      detail_ = fmt::format("modem refuses PDU mode (AT+CMGF=0: {})", cmgf.describe());
    co_return InitEnd::failed;
  }
  co_await select_storage();
  co_await set_indications();
  if (!cfg.smsc.empty()) {
    Reply r = co_await exec_when_ready(fmt::format("AT+CSCA={},{}", at_quote(cfg.smsc), cfg.smsc.starts_with('+') ? 145 : 129));
    if (!r.ok()) log::warn(cfg.id, "setting the SMSC to {} failed: {}", cfg.smsc, r.describe());
  }
  for (const auto& c : cfg.init_commands) {
    Reply r = co_await exec(c);
    if (!r.ok()) log::warn(cfg.id, "init command {} failed: {}", c, r.describe());
    else log::debug(cfg.id, "init command {}: OK", c);
  }
  // Is AT+CNMA required after +CMT/+CDS? Only with phase 2+ service (27.005
  // 3.2.1), which a user init command (AT+CSMS=1) may have selected.
  Reply csms = co_await exec("AT+CSMS?");
  cnma_needed = false;
  if (auto v = csms.value("+CSMS:")) {
    at::FieldReader fr(*v);
    auto service = fr.next_int("<service>");
    cnma_needed = service && *service == 1;
  }
  if (lost || stopping) co_return InitEnd::failed;
  co_await read_identity();
  // Registration changes as URCs (27.007 7.2), so the state follows them between health checks.
  co_await exec("AT+CREG=1");
  co_await wait_registration();
  if (lost || stopping) co_return InitEnd::failed;
  initialised = true;
  co_await update_storage_use();
  if (info.registered)
    set_state(State::ready, info.roaming ? "registered (roaming)" : "registered");
  else
    set_state(State::not_registered,
              fmt::format("no network registration within {} s", std::chrono::duration_cast<std::chrono::seconds>(cfg.timeouts.registration).count()));
  if (state_ == State::ready && info.storage_total > 0 && info.storage_used >= info.storage_total)
    set_state(State::storage_full, fmt::format("message storage {} full ({}/{})", storage, info.storage_used, info.storage_total));
  co_return InitEnd::ok;
}

// 27.007 8.3. The PIN is entered at most once per start(): a wrong PIN is
// never retried (three wrong tries lock the SIM behind its PUK).
Awaitable<Modem::Impl::InitEnd> Modem::Impl::unlock_sim() {
  bool entered = false;
  for (int round = 0; round < 30 && !stopping && !lost; ++round) {
    Reply r = co_await exec("AT+CPIN?");
    std::optional<std::string> code;
    if (auto v = r.value("+CPIN:")) {
      // Wavecom: "+CPIN: READY" may come without OK: the line is the answer.
      auto parsed = at::parse_cpin(*v);
      if (parsed) code = *parsed;
    }
    if (!code) {
      if (r.status == Reply::Status::final) {
        const auto& f = r.final;
        const bool cme = f.code == at::FinalCode::cme_error && f.number;
        if (cme && *f.number == 10) {  // SIM not inserted
          info.sim = "NOT INSERTED";
          set_state(State::no_sim, "no SIM card inserted (+CME ERROR: 10)");
          co_return InitEnd::fatal;
        }
        if (cme && (*f.number == 13 || *f.number == 15)) {  // SIM failure / wrong SIM
          info.sim = "SIM FAILURE";
          set_state(State::no_sim, fmt::format("SIM card failure ({})", at::describe(f)));
          co_return InitEnd::fatal;
        }
        if (cme && *f.number == 11) code = "SIM PIN";  // "SIM PIN required" as an error
        else if (cme && *f.number == 12) code = "SIM PUK";
      }
      if (!code) {
        if (r.status == Reply::Status::closed) co_return InitEnd::failed;
        // SIM busy just after start (ZTE +CME ERROR: 14) or no answer yet: wait.
        log::debug(cfg.id, "AT+CPIN?: {}; asking again", r.describe());
        co_await sleep(milliseconds(1000));
        continue;
      }
    }
    info.sim = *code;
    if (*code == "READY") co_return InitEnd::ok;
    if (*code == "SIM PIN") {
      if (cfg.pin.empty()) {
        set_state(State::pin_needed, "the SIM asks for its PIN but no pin is configured");
        co_return InitEnd::fatal;
      }
      if (entered || pin_refused) {
        pin_refused = true;
        set_state(State::pin_rejected, "the SIM still asks for its PIN after the configured PIN was entered; not retrying");
        co_return InitEnd::fatal;
      }
      entered = true;
      Reply p = co_await exec(fmt::format("AT+CPIN={}", at_quote(cfg.pin)));
      if (p.status == Reply::Status::final && !p.ok()) {
        pin_refused = true;
        info.sim = "SIM PIN";
        set_state(State::pin_rejected,
                  fmt::format("the SIM refused the configured PIN ({}); not retrying: fix the pin and restart", at::describe(p.final)));
        co_return InitEnd::fatal;
      }
      if (p.status != Reply::Status::final) {
        if (p.status == Reply::Status::closed) co_return InitEnd::failed;
        // No answer: we cannot know whether it counted. Never risk a second try.
        pin_refused = true;
        set_state(State::pin_rejected, "no answer after entering the PIN; not retrying (check the SIM state by hand)");
        co_return InitEnd::fatal;
      }
      log::info(cfg.id, "PIN accepted");
      // The SIM takes a moment to become READY after the PIN (SIMCom prints +CPIN: READY).
      co_await sleep(milliseconds(200));
      continue;
    }
    if (code->starts_with("SIM PUK") || *code == "PH-SIM PUK") {
      set_state(State::puk_needed, fmt::format("the SIM is locked ({}): enter the PUK by hand", *code));
      co_return InitEnd::fatal;
    }
    if (code->starts_with("SIM PIN2") || code->starts_with("SIM PUK2")) co_return InitEnd::ok;  // not needed for SMS
    if (*code == "NOT INSERTED" || *code == "NO SIM") {
      set_state(State::no_sim, "no SIM card inserted");
      co_return InitEnd::fatal;
    }
    // PH-SIM PIN and other network-personalisation locks: a human must act.
    set_state(State::pin_needed, fmt::format("the modem asks for {} (not the SIM PIN): unlock it by hand", *code));
    co_return InitEnd::fatal;
  }
  if (!lost && !stopping) detail_ = "the SIM never became ready (AT+CPIN? kept failing)";
  co_return InitEnd::failed;
}

// 27.005 3.2.2: all three storages on the SIM, so +CMTI, AT+CMGL and
// AT+CMGD agree about one place. Wavecom rejects the three-storage form.
Awaitable<void> Modem::Impl::select_storage() {
  storage_selected = false;
  sr_refused = false;
  for (const char* cmd : {"AT+CPMS=\"SM\",\"SM\",\"SM\"", "AT+CPMS=\"SM\",\"SM\"", "AT+CPMS=\"SM\""}) {
    Reply r = co_await exec_when_ready(cmd);
    if (r.status == Reply::Status::closed) co_return;
    if (r.ok()) {
      storage = "SM";
      mem1_now = storage;
      storage_selected = true;
      if (auto v = r.value("+CPMS:")) {
        auto use = at::parse_cpms(*v);
        if (use && !use->empty()) {
          info.storage_used = use->front().used;
          info.storage_total = use->front().total;
        }
      }
      co_return;
    }
    log::debug(cfg.id, "{}: {}", cmd, r.describe());
  }
  // Keep the modem's own choice; learn its name for Incoming::storage.
  Reply q = co_await exec("AT+CPMS?");
  if (auto v = q.value("+CPMS:")) {
    auto use = at::parse_cpms(*v);
    if (use && !use->empty() && !use->front().name.empty()) storage = use->front().name;
  }
  mem1_now = storage;
  log::warn(cfg.id, "the modem refuses SIM storage; using its default storage {}", storage);
  co_return;
}

Awaitable<void> Modem::Impl::set_indications() {
  cnmi_ds = 0;
  for (const auto& c : kCnmiFallbacks) {
    Reply r = co_await exec_when_ready(std::string(c.command));
    if (r.status == Reply::Status::closed) co_return;
    if (r.ok()) {
      cnmi_ds = c.ds;
      log::debug(cfg.id, "new-message indications: {}", c.command);
      co_return;
    }
    log::debug(cfg.id, "{} refused ({}), trying the next combination", c.command, r.describe());
  }
  log::warn(cfg.id, "the modem refuses every AT+CNMI combination: incoming messages are found only by the "
                    "periodic sweep");
  co_return;
}

Awaitable<void> Modem::Impl::read_identity() {
  struct Item {
    const char* cmd;
    std::string Info::*field;
  };
  static const Item items[] = {{"AT+CGMI", &Info::manufacturer},
                               {"AT+CGMM", &Info::model},
                               {"AT+CGMR", &Info::revision},
                               {"AT+CGSN", &Info::imei},
                               {"AT+CIMI", &Info::imsi}};
  for (const auto& it : items) {
    Reply r = co_await exec(it.cmd);
    if (r.ok() && !r.responses.empty()) info.*(it.field) = identity_value(r.responses.front().line);
    else if (!r.ok()) log::debug(cfg.id, "{}: {}", it.cmd, r.describe());
  }
  Reply csca = co_await exec("AT+CSCA?");
  if (auto v = csca.value("+CSCA:")) {
    auto sc = at::parse_csca(*v);
    if (sc) info.smsc = sc->number;
  }
  co_await refresh_network();
  co_return;
}

Awaitable<void> Modem::Impl::refresh_network() {
  Reply csq = co_await exec("AT+CSQ");
  if (auto v = csq.value("+CSQ:")) {
    auto q = at::parse_csq(*v);
    if (q) {
      info.rssi = q->rssi;
      info.signal_dbm = q->dbm;
    }
  }
  Reply creg = co_await exec("AT+CREG?");
  if (auto v = creg.value("+CREG:")) {
    auto reg = at::parse_creg(*v);
    if (reg) {
      info.registered = reg->registered();
      info.roaming = reg->roaming();
    }
  }
  Reply cops = co_await exec("AT+COPS?");
  if (auto v = cops.value("+COPS:")) {
    auto op = at::parse_cops(*v);
    if (op) info.operator_name = op->name;
  }
  co_return;
}

Awaitable<void> Modem::Impl::wait_registration() {
  const auto deadline = Clock::now() + cfg.timeouts.registration;
  while (!info.registered && !stopping && !lost && Clock::now() < deadline) {
    set_state(State::starting, "waiting for network registration");
    co_await sleep(std::min<milliseconds>(milliseconds(1000), std::chrono::duration_cast<milliseconds>(cfg.timeouts.registration)));
    co_await refresh_network();
  }
  co_return;
}

}  // namespace sms::modem
