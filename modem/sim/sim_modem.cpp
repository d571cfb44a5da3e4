// SimModem: input handling, timers, start-up output per dialect, the network
// side (deliveries, status reports) and submit acceptance. The command table
// is in sim_commands.cpp.
#include "modem/sim/sim_modem.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "modem/common/json.hpp"
#include "modem/sim/sim_internal.hpp"

namespace sms::sim {

namespace {
constexpr char kCtrlZ = 0x1A;
constexpr char kEsc = 0x1B;
constexpr std::size_t kMaxLine = 1024;     // longer command lines are cut (and fail)
constexpr std::size_t kMaxPdu = 1024;      // 2 * (12 + 176) hex digits is the most a valid one needs
constexpr std::int64_t kCmmsLinkMs = 5000; // 27.005 3.5.6: link closes after a 1-5 s gap

std::string_view trim(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
  return s;
}
}  // namespace

int Storage::used() const {
  return static_cast<int>(std::count_if(slots.begin(), slots.end(), [](const Slot& s) { return s.used; }));
}
int Storage::free_slot() const {
  for (std::size_t i = 0; i < slots.size(); ++i)
    if (!slots[i].used) return static_cast<int>(i);
  return -1;
}

SimModem::SimModem(Options options) : opt_(std::move(options)), rng_(opt_.seed) {
  const char* names[3] = {"SM", "ME", "SR"};
  for (int i = 0; i < 3; ++i) {
    storages_[i].name = names[i];
    storages_[i].slots.resize(static_cast<std::size_t>(std::max(0, opt_.capacity)));
  }
  pin_ = opt_.pin;
  smsc_ = opt_.smsc;
  if (opt_.manufacturer.empty() || opt_.model.empty() || opt_.revision.empty()) {
    // What these modems print for +CGMI/+CGMM/+CGMR.
    const char* m = "SIMULATOR";
    const char* mo = "SIM-GSM-1";
    const char* r = "1.0.0";
    switch (opt_.dialect) {
      case Dialect::huawei: m = "huawei"; mo = "E173"; r = "11.126.85.00.209"; break;
      case Dialect::simcom: m = "SIMCOM_Ltd"; mo = "SIMCOM_SIM800"; r = "Revision:1418B04SIM800L24"; break;
      case Dialect::quectel: m = "Quectel"; mo = "EC25"; r = "EC25EFAR06A06M4G"; break;
      case Dialect::generic: break;
    }
    if (opt_.manufacturer.empty()) opt_.manufacturer = m;
    if (opt_.model.empty()) opt_.model = mo;
    if (opt_.revision.empty()) opt_.revision = r;
  }
  if (!opt_.reject_cnmi && opt_.dialect == Dialect::simcom) opt_.reject_cnmi = "2,1,0,2";
}

std::int64_t SimModem::wall_ms() const {
  if (opt_.wall_ms) return opt_.wall_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---- timers -------------------------------------------------------------------

void SimModem::schedule(std::int64_t delay_ms, std::function<void()> fn) {
  timers_.emplace(now_ + std::max<std::int64_t>(0, delay_ms), std::move(fn));
}

void SimModem::advance(std::int64_t now_ms) {
  now_ = std::max(now_, now_ms);
  while (!timers_.empty() && timers_.begin()->first <= now_) {
    auto fn = std::move(timers_.begin()->second);
    timers_.erase(timers_.begin());
    fn();  // may schedule more timers or reset them all (reboot)
  }
  if (!busy_ && !in_.empty()) process_input();
}

std::optional<std::int64_t> SimModem::next_deadline() const {
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first;
}

std::string SimModem::take_output() {
  std::string s;
  s.swap(out_);
  return s;
}

std::optional<int> SimModem::take_vanish_request() {
  auto v = vanish_request_;
  vanish_request_.reset();
  return v;
}

// ---- power-up -----------------------------------------------------------------

void SimModem::reset_session() {
  timers_.clear();
  in_.clear();
  line_.clear();
  prompt_buf_.clear();
  mode_ = Mode::command;
  busy_ = false;
  echo_ = true;  // echo is on after power-up in every dialect (V.250 default)
  cmee_ = 0;
  cnmi_ = {0, 0, 0, 0, 0};
  cmms_ = 0;
  last_submit_answer_.reset();
  csms_ = 0;
  acks_.clear();
  creg_n_ = cgreg_n_ = 0;
  cusd_ = 0;
  mem_ = {"SM", "SM", "SM"};
  curc_ = true;
  qind_csq_ = true;
  cfun_ = 1;
  sms_ready_ = opt_.dialect == Dialect::generic || opt_.dialect == Dialect::huawei;
  if (opt_.no_sim)
    sim_ = SimState::absent;
  else if (sim_ != SimState::puk)
    sim_ = pin_.empty() ? SimState::ready : SimState::pin;
}

void SimModem::start(std::int64_t now_ms) {
  now_ = std::max(now_, now_ms);
  reset_session();
  if (opt_.garbage) {
    // Line noise of a modem powering up: bytes that are never part of a result.
    std::uniform_int_distribution<int> len(8, 24), byte(0x80, 0xFF);
    const int n = len(rng_);
    for (int i = 0; i < n; ++i) out_.push_back(i % 5 == 0 ? '\0' : static_cast<char>(byte(rng_)));
  }
  boot_output();
}

void SimModem::reboot(std::int64_t now_ms) { start(now_ms); }

void SimModem::boot_output() {
  auto cpin_urc = [this] {
    switch (sim_) {
      case SimState::ready: return "+CPIN: READY";
      case SimState::pin: return "+CPIN: SIM PIN";
      case SimState::puk: return "+CPIN: SIM PUK";
      case SimState::absent: break;
    }
    return "+CPIN: NOT INSERTED";
  };
  switch (opt_.dialect) {
    case Dialect::generic:
      break;
    case Dialect::huawei:
      arm_noise();
      break;
    case Dialect::simcom:
    case Dialect::quectel:
      // SIM800 / EC25 power-up: RDY, +CFUN: 1, +CPIN: ..., then the SMS
      // subsystem becomes ready seconds later.
      emit_urc("RDY");
      schedule(100, [this] { emit_urc("+CFUN: 1"); });
      schedule(200, [this, cpin_urc] { emit_urc(cpin_urc()); });
      if (opt_.dialect == Dialect::quectel) arm_noise();
      break;
  }
  if (sim_ == SimState::ready) sim_ready();
}

void SimModem::sim_ready() {
  sim_ready_at_ = now_;
  if (opt_.register_after_ms > 0) schedule(opt_.register_after_ms, [this] { arm_registration_urc(); });
  // At power-up the ready messages follow RDY/+CFUN/+CPIN (which come at 0-200 ms).
  const int ready = std::max(opt_.ready_delay_ms, 300);
  if (opt_.dialect == Dialect::simcom) {
    schedule(std::max(250, ready - 1000), [this] { emit_urc("Call Ready"); });
    schedule(ready, [this] {
      emit_urc("SMS Ready");
      sms_ready_ = true;
    });
  } else if (opt_.dialect == Dialect::quectel) {
    schedule(ready, [this] {
      emit_urc("+QIND: SMS DONE");
      sms_ready_ = true;
    });
    schedule(ready + 500, [this] { emit_urc("+QIND: PB DONE"); });
  }
}

// ---- registration and noise ---------------------------------------------------------

int SimModem::reg_stat() const {
  if (sim_ != SimState::ready || cfun_ == 0) return 0;
  const bool will_register = opt_.registration == Registration::home || opt_.registration == Registration::roaming;
  if (will_register && now_ < sim_ready_at_ + opt_.register_after_ms) return 2;
  return static_cast<int>(opt_.registration);
}

bool SimModem::registered() const {
  const int s = reg_stat();
  return s == 1 || s == 5;
}

void SimModem::arm_registration_urc() {
  // 27.007 7.2: +CREG: <stat> (n=1) or +CREG: <stat>,<lac>,<ci> (n=2) on change.
  const int s = reg_stat();
  if (creg_n_ == 1) emit_urc(fmt::format("+CREG: {}", s));
  if (creg_n_ == 2) emit_urc(fmt::format("+CREG: {},\"1A2B\",\"00C3D4E5\"", s));
  if (cgreg_n_ >= 1) emit_urc(fmt::format("+CGREG: {}", s));
}

bool SimModem::noise_on() const {
  if (opt_.dialect == Dialect::huawei) return curc_;
  if (opt_.dialect == Dialect::quectel) return qind_csq_;
  return false;
}

std::string SimModem::noise_line() {
  if (opt_.dialect == Dialect::quectel) return fmt::format("+QIND: \"csq\",{},99", opt_.csq);
  // Huawei E1xx indications (^CURC=1).
  switch (std::uniform_int_distribution<int>(0, 3)(rng_)) {
    case 0: return fmt::format("^RSSI: {}", opt_.csq);
    case 1: return "^MODE: 5,4";
    case 2: return "^DSFLOWRPT: 0000240E,00000000,00000000,00000000000AD023,0000000002FA192D,0003E800,0003E800";
    default: return "^BOOT: 20952548,0,0,0,72";
  }
}

void SimModem::arm_noise() {
  if (opt_.noise_ms <= 0) return;
  schedule(opt_.noise_ms, [this] {
    if (noise_on()) emit_urc(noise_line());
    arm_noise();
  });
}

// ---- output -----------------------------------------------------------------------

void SimModem::emit_urc(std::string_view line) {
  out_.append("\r\n");
  out_.append(line);
  out_.append("\r\n");
}

void SimModem::maybe_garbage() {
  if (!opt_.garbage || opt_.garbage_rate <= 0) return;
  if (std::uniform_real_distribution<double>(0, 1)(rng_) >= opt_.garbage_rate) return;
  // Bytes >= 0x80 or NUL never form "OK", "> " or a line end.
  std::uniform_int_distribution<int> len(1, 6), byte(0x80, 0xFF);
  const int n = len(rng_);
  for (int i = 0; i < n; ++i) out_.push_back(static_cast<char>(byte(rng_)));
}

void SimModem::emit_reply(const Reply& r) {
  maybe_garbage();
  if (!r.lines.empty()) {
    out_.append("\r\n");
    for (const auto& l : r.lines) {
      out_.append(l);
      out_.append("\r\n");
    }
  }
  // Huawei firmwares print ^RSSI & co. even between a response and its OK.
  if (opt_.dialect == Dialect::huawei && noise_on() &&
      std::uniform_real_distribution<double>(0, 1)(rng_) < 0.2)
    emit_urc(noise_line());
  emit_urc(r.final);
}

// ---- input ------------------------------------------------------------------------

void SimModem::feed(std::string_view host_bytes, std::int64_t now_ms) {
  now_ = std::max(now_, now_ms);
  in_.append(host_bytes);
  if (!busy_) process_input();
}

void SimModem::process_input() {
  std::size_t i = 0;
  while (i < in_.size() && !busy_) {
    if (mode_ == Mode::prompt) {
      std::size_t j = i;
      while (j < in_.size() && in_[j] != kCtrlZ && in_[j] != kEsc) ++j;
      const std::string_view chunk(in_.data() + i, j - i);
      if (echo_) out_.append(chunk);
      if (prompt_buf_.size() < kMaxPdu) prompt_buf_.append(chunk.substr(0, kMaxPdu - prompt_buf_.size()));
      i = j;
      if (j < in_.size()) {
        const bool esc = in_[j] == kEsc;
        ++i;
        finish_prompt(esc);
      }
      continue;
    }
    std::size_t j = i;
    while (j < in_.size() && in_[j] != '\r' && in_[j] != kCtrlZ && in_[j] != kEsc) ++j;
    for (std::size_t k = i; k < j; ++k) {
      const char c = in_[k];
      if (c == '\n' || c == '\0') continue;  // LF after CR, NUL padding: not part of the command
      if (echo_) out_.push_back(c);
      if (c == '\b') {
        if (!line_.empty()) line_.pop_back();
      } else if (line_.size() <= kMaxLine) {
        line_.push_back(c);
      }
    }
    i = j;
    if (j < in_.size()) {
      ++i;
      if (in_[j] == '\r') {
        if (echo_) out_.push_back('\r');
        std::string line;
        line.swap(line_);
        run_line(std::move(line));
      } else {
        line_.clear();  // ESC / Ctrl-Z outside a prompt: drivers send them to abort; ignored
      }
    }
  }
  in_.erase(0, i);
}

void SimModem::run_line(std::string line) {
  const std::string_view t = trim(line);
  if (t.empty()) return;  // empty line: no answer
  if (command_sink_) command_sink_(t);
  std::vector<Cmd> cmds;
  bool bad = false;
  if (!parse_command_line(t, cmds, bad)) return;  // not starting with AT: modems ignore it
  ++stats_.commands;
  if (!opt_.hang_prefix.empty()) {
    std::string up(t);
    for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string hp = opt_.hang_prefix;
    for (auto& c : hp) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (up.rfind(hp, 0) == 0) return;  // fault injection: never answered
  }
  if (opt_.stale_answer && !stale_done_) {
    // The answer a previous process never read, arriving late.
    stale_done_ = true;
    out_.append("\r\n+CMGS: 254\r\n\r\nOK\r\n");
  }
  Reply r;
  if (bad || line.size() > kMaxLine) {
    r.final = "ERROR";
    emit_reply(r);
    return;
  }
  for (std::size_t k = 0; k < cmds.size(); ++k) {
    const Outcome o = execute(cmds[k], r);
    switch (o) {
      case Outcome::ok:
        break;
      case Outcome::error:
        emit_reply(r);
        return;
      case Outcome::hang:
      case Outcome::silent:
        return;
      case Outcome::prompt:
        if (k + 1 != cmds.size()) {  // "AT+CMGS=20;+CSQ": nothing may follow a prompt
          r.final = "ERROR";
          emit_reply(r);
          return;
        }
        maybe_garbage();
        out_.append("\r\n> ");
        mode_ = Mode::prompt;
        prompt_wall_ms_ = wall_ms();
        prompt_buf_.clear();
        return;
    }
  }
  r.final = "OK";
  emit_reply(r);
}

// ---- submits ----------------------------------------------------------------------

void SimModem::finish_prompt(bool cancelled) {
  mode_ = Mode::command;
  std::string hex(trim(prompt_buf_));
  prompt_buf_.clear();
  if (cancelled) {  // 27.005 3.5.1: ESC cancels the message
    Reply r;
    emit_reply(r);
    return;
  }
  if (prompt_is_write_)
    write_done(hex, prompt_length_);
  else
    submit_done(hex, prompt_length_);
}

void SimModem::submit_done(const std::string& hex, int length) {
  ++stats_.submits;
  Reply r;
  // 27.005 3.5.1: the PDU must decode as an SMS-SUBMIT whose TPDU has
  // exactly <length> octets; anything else is "invalid PDU mode parameter".
  // The decoder reads a PDU whose user data is shorter than its TP-UDL (a
  // modem cut it on the way in); a modem refuses such a PDU from the host.
  auto msg = is_hex(hex) ? sms::pdu::decode(hex, sms::pdu::SmscField::present)
                         : sms::Result<sms::pdu::Message>(sms::make_error("not hex"));
  auto len = msg ? sms::pdu::tpdu_length(hex) : sms::Result<int>(sms::make_error("bad"));
  if (!msg || msg->type != sms::pdu::MessageType::submit || msg->truncated || !len || *len != length) {
    ++stats_.rejected;
    cms(r, 304);
    emit_reply(r);
    return;
  }
  if (!registered()) {
    ++stats_.rejected;
    cms(r, 331);  // no network service
    emit_reply(r);
    return;
  }
  // AT+CMMS: the relay link stays open while the next submit comes soon enough.
  bool link_open = false;
  if (cmms_ != 0 && last_submit_answer_) {
    if (now_ - *last_submit_answer_ <= kCmmsLinkMs)
      link_open = true;
    else if (cmms_ == 1)
      cmms_ = 0;
  }
  const int delay = link_open ? opt_.cmms_delay_ms : opt_.submit_delay_ms;

  std::function<void()> answer;
  if (opt_.error_rate > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < opt_.error_rate) {
    ++stats_.injected_errors;
    const int code = std::uniform_int_distribution<int>(0, 1)(rng_) ? 500 : 38;
    answer = [this, code] {
      Reply e;
      cms(e, code);
      emit_reply(e);
      last_submit_answer_ = now_;
    };
  } else {
    const int mr = next_mr_++;
    SubmitRecord rec;
    rec.mr = mr;
    rec.pdu = hex;
    rec.tpdu_length = length;
    rec.cmgs_wall_ms = prompt_wall_ms_;
    rec.message = std::move(*msg);
    recipient_by_mr_[static_cast<std::size_t>(mr)] = rec.message.number.number;
    mr_used_[static_cast<std::size_t>(mr)] = true;
    answer = [this, rec = std::move(rec)]() mutable {
      ++stats_.accepted;
      rec.wall_ms = wall_ms();
      Reply ok;
      ok.lines.push_back(fmt::format("+CMGS: {}", rec.mr));
      emit_reply(ok);
      last_submit_answer_ = now_;
      const bool srr = rec.message.status_report_request;
      const int mr = rec.mr;
      if (submit_sink_) submit_sink_(rec);
      submits_.push_back(std::move(rec));
      const auto keep = static_cast<std::size_t>(std::max(1, opt_.keep_submits));
      if (submits_.size() >= 2 * keep)  // amortised: drop the oldest half at once
        submits_.erase(submits_.begin(), submits_.begin() + static_cast<std::ptrdiff_t>(submits_.size() - keep));
      if (opt_.status_reports && srr)
        schedule(opt_.status_report_delay_ms, [this, mr] { (void)status_report(mr, 0, now_); });
      if (opt_.vanish_after > 0 && !vanish_fired_ && ++accepted_for_vanish_ >= opt_.vanish_after) {
        vanish_fired_ = true;
        vanish_request_ = opt_.vanish_ms;
      }
    };
  }
  if (delay <= 0) {
    answer();
    return;
  }
  busy_ = true;  // the host's next bytes wait until the network answered
  schedule(delay, [this, answer = std::move(answer)] {
    answer();
    busy_ = false;
  });
}

void SimModem::write_done(const std::string& hex, int length) {
  Reply r;
  auto msg = is_hex(hex) ? sms::pdu::decode(hex, sms::pdu::SmscField::present)
                         : sms::Result<sms::pdu::Message>(sms::make_error("not hex"));
  auto len = msg ? sms::pdu::tpdu_length(hex) : sms::Result<int>(sms::make_error("bad"));
  if (!msg || msg->truncated || !len || *len != length) {
    cms(r, 304);
    emit_reply(r);
    return;
  }
  Storage& s = store(mem_[1]);
  const int slot = s.free_slot();
  if (slot < 0) {
    cms(r, 322);  // memory full
    emit_reply(r);
    return;
  }
  const int stat = msg->type == sms::pdu::MessageType::deliver ? 1 : 2;
  s.slots[static_cast<std::size_t>(slot)] = Slot{true, stat, hex, length};
  r.lines.push_back(fmt::format("+CMGW: {}", slot + index_base()));
  emit_reply(r);
}

// ---- network side -----------------------------------------------------------------

Storage& SimModem::store(std::string_view name) {
  for (auto& s : storages_)
    if (s.name == name) return s;
  return storages_[0];
}

const Storage& SimModem::storage(std::string_view name) const {
  for (const auto& s : storages_)
    if (s.name == name) return s;
  return storages_[0];
}

int SimModem::slot_of(const Storage& s, int host_index) const {
  const int slot = host_index - index_base();
  if (slot < 0 || slot >= static_cast<int>(s.slots.size())) return -1;
  return slot;
}

void SimModem::clear_storage() {
  for (auto& s : storages_)
    for (auto& slot : s.slots) slot = Slot{};
}

sms::Result<DeliverResult> SimModem::route_delivers(const std::vector<std::string>& pdus, bool class3) {
  if (sim_ != SimState::ready || !registered())
    return sms::make_error(fmt::format("modem not registered (CREG stat {}): the network cannot deliver", reg_stat()));
  DeliverResult res;
  res.parts = static_cast<int>(pdus.size());
  const int mode = cnmi_[0], mt = cnmi_[1];
  // 27.005 3.4.1 <mt>: 2 = SMS-DELIVER routed directly (+CMT); 3 = only class 3
  // directly. With <mode> 0 indications stay buffered in the TA: nothing shown.
  if (mode != 0 && (mt == 2 || (mt == 3 && class3))) {
    res.direct = true;
    for (const auto& p : pdus) {
      auto len = sms::pdu::tpdu_length(p);
      out_.append(fmt::format("\r\n+CMT: ,{}\r\n{}\r\n", len ? *len : 0, p));
      ++stats_.delivered;
      if (csms_ == 1) expect_ack(p, false);  // phase 2+: AT+CNMA expected
    }
    return res;
  }
  Storage& s = store(mem_[2]);
  for (std::size_t k = 0; k < pdus.size(); ++k) {
    const int slot = s.free_slot();
    if (slot < 0) {
      stats_.refused_full += static_cast<long>(pdus.size() - k);
      if (opt_.dialect == Dialect::huawei) emit_urc(fmt::format("^SMMEMFULL: \"{}\"", s.name));
      std::string idx;
      for (int i : res.indexes) idx += (idx.empty() ? "" : ",") + std::to_string(i);
      return sms::make_error(fmt::format("storage {} full ({}/{}): stored {} of {} parts{}{}", s.name, s.used(),
                                         s.slots.size(), k, pdus.size(), idx.empty() ? "" : " at indexes ", idx));
    }
    auto len = sms::pdu::tpdu_length(pdus[k]);
    s.slots[static_cast<std::size_t>(slot)] = Slot{true, 0, pdus[k], len ? *len : 0};
    const int host_index = slot + index_base();
    res.indexes.push_back(host_index);
    ++stats_.delivered;
    if (mode != 0 && mt != 0) emit_urc(fmt::format("+CMTI: \"{}\",{}", s.name, host_index));
  }
  return res;
}

sms::Result<DeliverResult> SimModem::deliver(std::string_view from, std::string_view text, std::int64_t now_ms) {
  now_ = std::max(now_, now_ms);
  sms::pdu::DeliverOptions d;
  d.originator = std::string(from);
  d.smsc = opt_.smsc;
  d.scts.utc_seconds = wall_ms() / 1000;
  d.concat_reference = next_concat_ref_++;
  auto parts = sms::pdu::encode_deliver(text, d);
  if (!parts) return sms::make_error("cannot encode: " + parts.error());
  return route_delivers(*parts, false);
}

sms::Result<DeliverResult> SimModem::deliver_parts(std::string_view from, int ref, int total,
                                                   const std::vector<int>& seqs, std::string_view text,
                                                   std::int64_t now_ms) {
  now_ = std::max(now_, now_ms);
  if (ref < 0 || ref > 255) return sms::make_error(fmt::format("reference {} out of range 0..255", ref));
  sms::pdu::DeliverOptions d;
  d.originator = std::string(from);
  d.smsc = opt_.smsc;
  d.scts.utc_seconds = wall_ms() / 1000;
  d.concat_reference = static_cast<std::uint16_t>(ref);
  auto parts = sms::pdu::encode_deliver(text, d);
  if (!parts) return sms::make_error("cannot encode: " + parts.error());
  if (static_cast<int>(parts->size()) != total)
    return sms::make_error(fmt::format("text makes {} parts, not {}", parts->size(), total));
  std::vector<std::string> chosen;
  for (int s : seqs) {
    if (s < 1 || s > total) return sms::make_error(fmt::format("part {} out of range 1..{}", s, total));
    chosen.push_back((*parts)[static_cast<std::size_t>(s - 1)]);
  }
  return route_delivers(chosen, false);
}

sms::Result<DeliverResult> SimModem::deliver_pdu(std::string_view hex, std::int64_t now_ms) {
  now_ = std::max(now_, now_ms);
  const std::string h(trim(hex));
  if (!is_hex(h)) return sms::make_error("not an even number of hex digits");
  auto m = sms::pdu::decode(h, sms::pdu::SmscField::present);
  if (!m) return sms::make_error("does not decode: " + m.error());
  if (m->type != sms::pdu::MessageType::deliver) return sms::make_error("not an SMS-DELIVER");
  std::string up = h;
  for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return route_delivers({up}, m->message_class == 3);
}

void SimModem::route_report(const std::string& report) {
  ++stats_.status_reports;
  const int ds = cnmi_[3];
  auto len = sms::pdu::tpdu_length(report);
  const int l = len ? *len : 0;  // the report's own TPDU: padding is beyond <length>
  const std::string hex = report + std::string(2 * static_cast<std::size_t>(std::clamp(opt_.report_padding, 0, kMaxReportPadding)), 'F');
  if (sim_ != SimState::ready || cnmi_[0] == 0 || ds == 0) {
    ++stats_.reports_dropped;  // 27.005 <ds>=0: no status reports routed to the TE
    return;
  }
  if (ds == 1) {
    out_.append(fmt::format("\r\n+CDS: {}\r\n{}\r\n", l, hex));
    if (csms_ == 1) expect_ack(hex, true);
    return;
  }
  Storage& s = store("SR");
  const int slot = s.free_slot();
  if (slot < 0) {
    ++stats_.refused_full;
    ++stats_.reports_dropped;
    return;
  }
  s.slots[static_cast<std::size_t>(slot)] = Slot{true, 0, hex, l};
  emit_urc(fmt::format("+CDSI: \"SR\",{}", slot + index_base()));
}

sms::Result<int> SimModem::status_report(int mr, int tp_st, std::int64_t now_ms) {
  now_ = std::max(now_, now_ms);
  if (mr < 0 || mr > 255 || !mr_used_[static_cast<std::size_t>(mr)])
    return sms::make_error(fmt::format("no submit with mr {}", mr));
  if (tp_st < 0 || tp_st > 255) return sms::make_error(fmt::format("status {} out of range 0..255", tp_st));
  sms::pdu::StatusReportOptions o;
  o.smsc = opt_.smsc;
  o.recipient = recipient_by_mr_[static_cast<std::size_t>(mr)];
  o.message_reference = static_cast<std::uint8_t>(mr);
  o.scts.utc_seconds = wall_ms() / 1000 - 5;
  o.discharge.utc_seconds = wall_ms() / 1000;
  o.status = static_cast<std::uint8_t>(tp_st);
  auto hex = sms::pdu::encode_status_report(o);
  if (!hex) return sms::make_error("cannot encode status report: " + hex.error());
  route_report(*hex);
  return 0;
}

void SimModem::expect_ack(const std::string& pdu, bool report) {
  const std::uint64_t id = next_ack_id_++;
  acks_.push_back(PendingAck{id, pdu, report});
  if (opt_.cnma_timeout_ms > 0) schedule(opt_.cnma_timeout_ms, [this, id] { ack_timeout(id); });
}

void SimModem::ack_timeout(std::uint64_t id) {
  const bool pending = std::any_of(acks_.begin(), acks_.end(), [id](const PendingAck& a) { return a.id == id; });
  if (!pending) return;
  // 27.005 3.4.4: no acknowledgement in time -> the ME turns routing to the
  // TE off (<mt> and <ds> 0); the network keeps the message and sends it again,
  // which now lands in storage.
  ++stats_.cnma_timeouts;
  cnmi_[1] = 0;
  cnmi_[3] = 0;
  std::vector<std::string> again;
  for (const auto& a : acks_)
    if (!a.report) again.push_back(a.pdu);
  acks_.clear();
  stats_.redelivered += static_cast<long>(again.size());
  if (!again.empty()) (void)route_delivers(again, false);
}

// ---- control ----------------------------------------------------------------------

sms::Result<int> SimModem::set(std::string_view key, std::string_view value) {
  auto as_int = [&](int& dst) -> sms::Result<int> {
    int v = 0;
    if (!parse_int(value, v) || v < 0) return sms::make_error(fmt::format("{}: not a number >= 0: '{}'", key, value));
    dst = v;
    return 0;
  };
  auto as_rate = [&](double& dst) -> sms::Result<int> {
    try {
      std::size_t used = 0;
      const double v = std::stod(std::string(value), &used);
      if (used != value.size() || v < 0 || v > 1) throw std::invalid_argument("range");
      dst = v;
      return 0;
    } catch (const std::exception&) {
      return sms::make_error(fmt::format("{}: not a probability 0..1: '{}'", key, value));
    }
  };
  if (key == "submit_delay_ms") return as_int(opt_.submit_delay_ms);
  if (key == "cmms_delay_ms") return as_int(opt_.cmms_delay_ms);
  if (key == "status_report_delay_ms") return as_int(opt_.status_report_delay_ms);
  if (key == "report_padding") {
    int v = 0;
    auto r = as_int(v);
    if (r && v > kMaxReportPadding)
      return sms::make_error(fmt::format("{}: at most {} octets, got {}", key, kMaxReportPadding, v));
    if (r) opt_.report_padding = v;
    return r;
  }
  if (key == "cnma_timeout_ms") return as_int(opt_.cnma_timeout_ms);
  if (key == "csq") return as_int(opt_.csq);
  if (key == "vanish_after") {
    vanish_fired_ = false;
    accepted_for_vanish_ = 0;
    return as_int(opt_.vanish_after);
  }
  if (key == "vanish_ms") return as_int(opt_.vanish_ms);
  if (key == "noise_ms") {
    auto r = as_int(opt_.noise_ms);
    return r;
  }
  if (key == "error_rate") return as_rate(opt_.error_rate);
  if (key == "garbage_rate") {
    auto r = as_rate(opt_.garbage_rate);
    if (r) opt_.garbage = opt_.garbage_rate > 0;
    return r;
  }
  if (key == "status_reports") {
    int v = 0;
    auto r = as_int(v);
    if (r) opt_.status_reports = v != 0;
    return r;
  }
  if (key == "hang") {
    opt_.hang_prefix = value == "-" ? "" : std::string(value);
    return 0;
  }
  if (key == "registration") {
    auto reg = parse_registration(value);
    if (!reg) return sms::make_error(fmt::format("registration: expected home|roaming|searching|denied|none, got '{}'", value));
    const int before = reg_stat();
    opt_.registration = *reg;
    opt_.register_after_ms = 0;
    if (reg_stat() != before) arm_registration_urc();
    return 0;
  }
  return sms::make_error(fmt::format("unknown key '{}'", key));
}

std::string SimModem::stats_json() const {
  std::string st;
  for (const auto& s : storages_)
    st += fmt::format("{}\"{}\":[{},{}]", st.empty() ? "" : ",", s.name, s.used(), s.slots.size());
  return fmt::format(
      "{{\"submits\":{},\"accepted\":{},\"rejected\":{},\"injected_errors\":{},\"delivered\":{},"
      "\"refused_full\":{},\"status_reports\":{},\"reports_dropped\":{},\"vanishes\":{},\"commands\":{},"
      "\"cnma_timeouts\":{},\"redelivered\":{},\"storage\":{{{}}}}}",
      stats_.submits, stats_.accepted, stats_.rejected, stats_.injected_errors, stats_.delivered,
      stats_.refused_full, stats_.status_reports, stats_.reports_dropped, stats_.vanishes, stats_.commands,
      stats_.cnma_timeouts, stats_.redelivered, st);
}

namespace {
// "2026-11-23T21:00:00.123Z" (UTC, milliseconds).
std::string iso_ms(std::int64_t wall_ms) {
  const std::int64_t ms = ((wall_ms % 1000) + 1000) % 1000;
  std::string iso = sms::pdu::format_iso8601(sms::pdu::Timestamp{(wall_ms - ms) / 1000, 0});  // "...:56Z"
  if (!iso.empty() && iso.back() == 'Z') iso = fmt::format("{}.{:03}Z", iso.substr(0, iso.size() - 1), ms);
  return iso;
}
}  // namespace

std::string submit_json(const SubmitRecord& r) {
  using sms::json::quote;
  const auto& m = r.message;
  const std::string iso = iso_ms(r.wall_ms);
  std::string concat = "\"concat_ref\":null,\"concat_total\":null,\"concat_seq\":null";
  if (m.concat)
    concat = fmt::format("\"concat_ref\":{},\"concat_total\":{},\"concat_seq\":{}", m.concat->reference,
                         m.concat->total, m.concat->sequence);
  std::string data;
  if (!m.data.empty()) {
    data = ",\"data\":\"";
    for (auto b : m.data) data += fmt::format("{:02X}", b);
    data += "\"";
  }
  return fmt::format(
      "{{\"time\":{},\"cmgs_time\":{},\"mr\":{},\"number\":{},\"toa\":{},\"text\":{},\"encoding\":{},"
      "\"dcs\":{},{},\"srr\":{},\"class\":{},\"validity\":{},\"tpdu_length\":{},\"pdu\":{}{}}}",
      quote(iso), quote(iso_ms(r.cmgs_wall_ms)), r.mr, quote(m.number.number), m.number.type, quote(m.text),
      quote(sms::pdu::to_string(m.encoding)),
      m.dcs, concat, m.status_report_request ? "true" : "false", m.message_class,
      m.validity_minutes ? std::to_string(*m.validity_minutes) : "null", r.tpdu_length, quote(r.pdu), data);
}

}  // namespace sms::sim
