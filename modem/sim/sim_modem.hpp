#pragma once
// The simulated modem's core: a pure state machine. It is fed the bytes the
// host writes and appends the bytes a modem would answer to an output buffer.
// No I/O, no threads, no clock: every call says what time it is (`now_ms`,
// any monotonic epoch), and delayed outputs (network time of a submit, boot
// messages, noise URCs, status reports) run from `advance()` once due.
// PtyModem (pty_modem.hpp) puts it on a pseudo-terminal; tests drive it
// directly with byte transcripts.
//
// Not thread-safe: one caller at a time.
#include <array>
#include <deque>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "modem/common/result.hpp"
#include "modem/pdu/pdu.hpp"
#include "modem/sim/options.hpp"

namespace sms::sim {

// One accepted SMS-SUBMIT, as the network saw it.
struct SubmitRecord {
  int mr = 0;
  std::string pdu;          // hex as the host sent it (with SMSC field)
  int tpdu_length = 0;
  sms::pdu::Message message;
  std::int64_t wall_ms = 0; // when +CMGS was answered
  std::int64_t cmgs_wall_ms = 0;  // when the AT+CMGS=<n> command line was read
};
// One JSON object (no newline) with the decoded fields; see README.md.
std::string submit_json(const SubmitRecord& r);

struct Slot {
  bool used = false;
  int stat = 0;       // 27.005 <stat>: 0 unread, 1 read, 2 unsent, 3 sent
  std::string pdu;    // hex with SMSC field
  int length = 0;     // TPDU octets
};
struct Storage {
  std::string name;   // "SM", "ME", "SR"
  std::vector<Slot> slots;
  int used() const;
  int free_slot() const;  // -1 when full
};

struct DeliverResult {
  int parts = 0;
  bool direct = false;          // +CMT (not stored)
  std::vector<int> indexes;     // storage indexes as the host sees them
};

struct Stats {
  long commands = 0, submits = 0, accepted = 0, rejected = 0, injected_errors = 0;
  long delivered = 0, refused_full = 0, status_reports = 0, reports_dropped = 0, vanishes = 0;
  long cnma_timeouts = 0, redelivered = 0;
};

class SimModem {
 public:
  explicit SimModem(Options options);
  struct Cmd;    // sim_internal.hpp
  struct Reply;

  // Power-up: start-up output of the dialect, timers armed.
  void start(std::int64_t now_ms);
  // The modem restarts (USB replug, AT+CFUN=1,1): session state reset,
  // SIM storage, PIN tries and the MR counter kept.
  void reboot(std::int64_t now_ms);

  void feed(std::string_view host_bytes, std::int64_t now_ms);
  void advance(std::int64_t now_ms);
  std::optional<std::int64_t> next_deadline() const;
  std::string take_output();
  bool has_output() const { return !out_.empty(); }

  // Network side.
  sms::Result<DeliverResult> deliver(std::string_view from, std::string_view text, std::int64_t now_ms);
  // Only the listed 1-based parts (any order, duplicates allowed) of TEXT
  // encoded with concat reference `ref`; TEXT must make exactly `total` parts.
  sms::Result<DeliverResult> deliver_parts(std::string_view from, int ref, int total,
                                           const std::vector<int>& seqs, std::string_view text,
                                           std::int64_t now_ms);
  sms::Result<DeliverResult> deliver_pdu(std::string_view hex, std::int64_t now_ms);
  // Status report for the submit that got `mr`.
  sms::Result<int> status_report(int mr, int tp_st, std::int64_t now_ms);

  // Fault injection / control.
  void request_vanish(int ms) { vanish_request_ = ms; }
  std::optional<int> take_vanish_request();
  void note_vanished() { ++stats_.vanishes; }
  sms::Result<int> set(std::string_view key, std::string_view value);
  void clear_storage();

  const Options& options() const { return opt_; }
  const Stats& stats() const { return stats_; }
  std::string stats_json() const;
  // Accepted submits, oldest first (at least the last Options::keep_submits).
  const std::vector<SubmitRecord>& submits() const { return submits_; }
  const Storage& storage(std::string_view name) const;
  std::string mem1() const { return mem_[0]; }
  int index_base() const { return opt_.dialect == Dialect::huawei ? 0 : 1; }

  // Called for every accepted submit when it is answered (the submit log).
  void set_submit_sink(std::function<void(const SubmitRecord&)> f) { submit_sink_ = std::move(f); }
  // Called with every command line (tracing).
  void set_command_sink(std::function<void(std::string_view)> f) { command_sink_ = std::move(f); }

 private:
  enum class SimState { pin, puk, ready, absent };
  enum class Mode { command, prompt };
  enum class Outcome { ok, error, prompt, hang, silent };

  // Input and output.
  void process_input();
  void run_line(std::string line);
  void finish_prompt(bool cancelled);
  void emit(std::string_view s) { out_.append(s); }
  void emit_urc(std::string_view line);
  void emit_reply(const Reply& r);
  void maybe_garbage();
  std::string final_error(const Reply& r) const;

  // Commands.
  Outcome execute(const Cmd& c, Reply& r);
  Outcome basic(const Cmd& c, Reply& r);
  Outcome extended(const Cmd& c, Reply& r);
  Outcome sms_command(const Cmd& c, Reply& r);
  Outcome cms(Reply& r, int code);
  Outcome cme(Reply& r, int code);
  Outcome plain_error(Reply& r);
  Outcome unknown(Reply& r);
  void submit_done(const std::string& hex, int length);
  void write_done(const std::string& hex, int length);

  // State helpers.
  void reset_session();
  void boot_output();
  void sim_ready();
  int reg_stat() const;
  bool registered() const;
  bool noise_on() const;
  std::string noise_line();
  void arm_noise();
  void arm_registration_urc();
  Storage& store(std::string_view name);
  int slot_of(const Storage& s, int host_index) const;
  sms::Result<DeliverResult> route_delivers(const std::vector<std::string>& pdus, bool class3);
  void route_report(const std::string& report);  // hex with SMSC field, unpadded
  bool cnmi_rejected(const std::vector<std::string>& args) const;
  void expect_ack(const std::string& pdu, bool report);
  void ack_timeout(std::uint64_t id);

  void schedule(std::int64_t delay_ms, std::function<void()> fn);
  std::int64_t wall_ms() const;

  Options opt_;
  std::mt19937_64 rng_;
  std::int64_t now_ = 0;
  std::string out_;
  std::multimap<std::int64_t, std::function<void()>> timers_;
  Stats stats_;
  std::vector<SubmitRecord> submits_;
  std::function<void(const SubmitRecord&)> submit_sink_;
  std::function<void(std::string_view)> command_sink_;
  std::optional<int> vanish_request_;

  // SIM (survives reboots).
  SimState sim_ = SimState::ready;
  std::string pin_;
  int pin_tries_ = 0;
  std::array<Storage, 3> storages_;
  std::uint8_t next_mr_ = 1;
  std::array<std::string, 256> recipient_by_mr_;
  std::array<bool, 256> mr_used_{};
  std::uint8_t next_concat_ref_ = 1;
  std::string smsc_;
  bool stale_done_ = false;
  int accepted_for_vanish_ = 0;
  bool vanish_fired_ = false;

  // Session (reset by reboot / ATZ partly).
  std::string in_;                // host bytes not yet processed
  std::string line_;              // command line being typed
  std::string prompt_buf_;        // PDU being typed after "> "
  Mode mode_ = Mode::command;
  int prompt_length_ = 0;
  std::int64_t prompt_wall_ms_ = 0;  // wall clock when the AT+CMGS/CMGW line was read
  bool prompt_is_write_ = false;
  bool busy_ = false;             // a submit is waiting for the network
  bool echo_ = true;
  int cmee_ = 0;
  std::array<int, 5> cnmi_{0, 0, 0, 0, 0};
  int cmms_ = 0;
  std::optional<std::int64_t> last_submit_answer_;
  int csms_ = 0;
  struct PendingAck {
    std::uint64_t id;
    std::string pdu;
    bool report;
  };
  std::deque<PendingAck> acks_;   // +CMT/+CDS waiting for AT+CNMA (AT+CSMS=1)
  std::uint64_t next_ack_id_ = 1;
  int creg_n_ = 0, cgreg_n_ = 0;
  int cusd_ = 0;                  // AT+CUSD <n>: USSD result presentation
  std::array<std::string, 3> mem_{"SM", "SM", "SM"};
  bool sms_ready_ = true;
  bool curc_ = true;              // huawei ^CURC
  bool qind_csq_ = true;          // quectel +QINDCFG "csq"
  std::int64_t sim_ready_at_ = 0;
  int cfun_ = 1;
};

}  // namespace sms::sim
