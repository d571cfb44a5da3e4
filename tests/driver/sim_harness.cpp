#include "tests/driver/sim_harness.hpp"

#include <boost/asio/post.hpp>
#include <stdlib.h>

#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "modem/pdu/pdu.hpp"

namespace sms::modem::test {

TempDir::TempDir() {
  char tmpl[] = "/tmp/sms-driver-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  path = tmpl;
}
TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

ModemConfig test_config(const std::string& id, const std::string& port) {
  ModemConfig c;
  c.id = id;
  c.port = port;
  c.timeouts.probe = 1000ms;
  c.timeouts.command = 4000ms;
  c.timeouts.prompt = 4000ms;
  c.timeouts.submit = 8000ms;
  c.timeouts.list = 4000ms;
  c.timeouts.registration = 8000ms;
  c.reconnect_min = 100ms;
  c.reconnect_max = 1000ms;
  return c;
}

Rig::~Rig() { stop(); }

void Rig::make_modem(ModemConfig cfg) {
  modem = std::make_unique<Modem>(
      io.get_executor(), std::move(cfg),
      [this](State s, const Info&, const std::string& detail) {
        if (states.empty() || states.back().state != s || states.back().detail != detail)
          states.push_back({s, detail});
      },
      [this](const Incoming& m) {
        const bool ok = accept(m);
        if (ok) incoming.push_back(m);
        return ok;
      });
}

bool Rig::run_until(const std::function<bool()>& pred, std::chrono::milliseconds guard) {
  const auto end = std::chrono::steady_clock::now() + guard;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= end) return false;
    io.restart();
    io.run_one_for(20ms);
  }
  return true;
}

void Rig::run_for(std::chrono::milliseconds d) {
  const auto end = std::chrono::steady_clock::now() + d;
  run_until([&] { return std::chrono::steady_clock::now() >= end; }, d + 1s);
}

bool Rig::wait_state(State s, std::chrono::milliseconds guard) {
  return run_until([&] { return modem && modem->state() == s; }, guard);
}

bool Rig::saw_state(State s) const {
  for (const auto& r : states)
    if (r.state == s) return true;
  return false;
}

SendOutcome Rig::send_pdus(std::vector<PduToSend> parts) {
  std::optional<SendOutcome> out;
  modem->send(std::move(parts), false, nullptr, [&](const SendOutcome& o) { out = o; });
  if (!run_until([&] { return out.has_value(); }, 60s)) {
    SendOutcome hung;
    hung.failure = Failure::modem;
    hung.error = "test hang guard: no outcome";
    return hung;
  }
  return *out;
}

SendOutcome Rig::send_text(const std::string& to, const std::string& text, bool srr, std::vector<int>* handed) {
  sms::pdu::SubmitOptions o;
  o.destination = to;
  o.status_report = srr;
  o.concat_reference = 42;
  auto enc = sms::pdu::encode_submit(text, o);
  if (!enc) throw std::runtime_error("encode_submit: " + enc.error());
  std::vector<PduToSend> parts;
  for (const auto& p : enc->parts) parts.push_back(PduToSend{p.hex, p.tpdu_length});
  std::optional<SendOutcome> out;
  Modem::HandingHandler on_handing;
  if (handed) on_handing = [handed](int part) { handed->push_back(part); };
  modem->send(std::move(parts), false, on_handing, [&](const SendOutcome& o2) { out = o2; });
  if (!run_until([&] { return out.has_value(); }, 60s)) {
    SendOutcome hung;
    hung.failure = Failure::modem;
    hung.error = "test hang guard: no outcome";
    return hung;
  }
  return *out;
}

void Rig::stop() {
  if (!modem) return;
  bool done = false;
  modem->stop([&] { done = true; });
  run_until([&] { return done; }, 10s);
  modem.reset();
  io.restart();
  io.poll();
}

// ---- PtySim ----

PtySim::PtySim(sim::Options o, const std::string& name) {
  link = dir.path + "/" + name;
  sim = std::make_unique<sim::PtyModem>(std::move(o), link);
  sim->start();
}
PtySim::~PtySim() { sim->stop(); }

// ---- CoreSim: the simulator's core as a Stream ----

struct CoreLink : std::enable_shared_from_this<CoreLink> {
  CoreLink(boost::asio::any_io_executor e, sim::Options o) : ex(e), core(std::move(o)), timer(e) {}
  boost::asio::any_io_executor ex;
  sim::SimModem core;
  boost::asio::steady_timer timer;
  std::chrono::steady_clock::time_point epoch = std::chrono::steady_clock::now();
  bool started = false;
  bool open = false;
  std::string out;
  char* buf = nullptr;
  std::size_t size = 0;
  Stream::ReadHandler reader;
  std::vector<std::string> commands;

  std::int64_t now() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - epoch).count();
  }
  void pump() {
    core.advance(now());
    out += core.take_output();
    if (reader && !out.empty()) {
      const std::size_t n = std::min(size, out.size());
      std::memcpy(buf, out.data(), n);
      out.erase(0, n);
      auto h = std::move(reader);
      reader = nullptr;
      boost::asio::post(ex, [h, n] { h({}, n); });
    }
    if (auto d = core.next_deadline()) {
      timer.expires_after(std::chrono::milliseconds(std::max<std::int64_t>(0, *d - now())));
      timer.async_wait([w = weak_from_this()](const boost::system::error_code& ec) {
        if (ec) return;
        if (auto self = w.lock()) self->pump();
      });
    }
  }
};

namespace {
class CoreStream final : public Stream {
 public:
  explicit CoreStream(std::shared_ptr<CoreLink> l) : link_(std::move(l)) { link_->open = true; }
  ~CoreStream() override { close(); }
  void async_read_some(char* data, std::size_t size, ReadHandler handler) override {
    link_->buf = data;
    link_->size = size;
    link_->reader = std::move(handler);
    link_->pump();
  }
  void async_write(const char* data, std::size_t size, WriteHandler handler) override {
    link_->core.feed(std::string_view(data, size), link_->now());
    boost::asio::post(link_->ex, [h = std::move(handler)] { h({}); });
    link_->pump();
  }
  void close() noexcept override {
    if (!link_->open) return;
    link_->open = false;
    if (link_->reader) {
      auto h = std::move(link_->reader);
      link_->reader = nullptr;
      boost::asio::post(link_->ex, [h] { h(boost::asio::error::operation_aborted, 0); });
    }
  }
  bool is_open() const override { return link_->open; }
  std::string describe() const override { return "simulator core"; }

 private:
  std::shared_ptr<CoreLink> link_;
};
}  // namespace

CoreSim::CoreSim(boost::asio::io_context& io, sim::Options o)
    : link(std::make_shared<CoreLink>(io.get_executor(), std::move(o))) {
  link->core.set_command_sink([l = link.get()](std::string_view c) { l->commands.emplace_back(c); });
}
CoreSim::~CoreSim() { link->timer.cancel(); }

void CoreSim::attach(ModemConfig& cfg) {
  cfg.open_port = [l = link](ModemConfig::OpenDone done) {
    if (!l->started) {
      l->started = true;
      l->core.start(l->now());
    }
    boost::asio::post(l->ex, [l, done] {
      std::unique_ptr<Stream> s = std::make_unique<CoreStream>(l);
      done(std::move(s));
    });
  };
}

void CoreSim::boot() {
  if (link->started) return;
  link->started = true;
  link->core.start(link->now());
}

std::vector<std::string> CoreSim::commands() const { return link->commands; }
sim::SimModem& CoreSim::core() { return link->core; }
std::int64_t CoreSim::now() const { return link->now(); }

}  // namespace sms::modem::test
