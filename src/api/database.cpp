// smserver::Database: the public face of sms::db::Store.
#include <smserver/smserver.hpp>

#include <pwd.h>
#include <unistd.h>

#include "db/store.hpp"
#include "src/config/config.hpp"

namespace smserver {

struct Database::Impl {
  sms::db::Store store;
  std::string actor = os_user();

  static std::string os_user() {
    if (const passwd* pw = getpwuid(geteuid())) return pw->pw_name;
    return "uid " + std::to_string(geteuid());
  }
};

namespace {

template <class F>
auto guarded(const char* what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(std::string(what) + ": " + e.what());
  }
}

OutMessage to_public(const sms::db::OutRow& r) {
  OutMessage m;
  m.id = r.id;
  m.recipient = r.recipient;
  m.text = r.text;
  m.status = r.status;
  m.ref = r.ref;
  m.priority = r.priority;
  m.send_at = r.send_at;
  m.created_at = r.created_at;
  m.updated_at = r.updated_at;
  m.sent_at = r.sent_at;
  m.attempts = r.attempts;
  m.last_error = r.last_error;
  m.parts = r.parts;
  m.modem = r.sent_by;
  m.delivery_status = r.delivery_status;
  m.delivered_at = r.delivered_at;
  m.refs = r.refs;
  m.kind = r.kind.value_or("");
  m.batch = r.batch;
  m.reason = r.reason;
  m.submitted_by = r.submitted_by;
  m.approved_by = r.approved_by;
  m.approved_at = r.approved_at;
  return m;
}

InMessage to_public(const sms::db::InRow& r) {
  InMessage m;
  m.id = r.id;
  m.sender = r.sender;
  m.text = r.text;
  m.received_at = r.received_at;
  m.stored_at = r.stored_at;
  m.modem = r.modem;
  m.smsc = r.smsc;
  m.parts = r.parts;
  m.processed = r.processed;
  m.partial = r.partial;
  m.truncated = r.truncated;
  return m;
}

}  // namespace

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;

Database Database::open(const std::string& db_path) {
  return guarded("cannot open the database", [&] {
    return Database(std::make_unique<Impl>(Impl{sms::db::Store::open(db_path), Impl::os_user()}));
  });
}

Database Database::from_config(const std::string& config_path) {
  sms::config::Config c;
  try {
    c = sms::config::load(config_path);
  } catch (const sms::config::ConfigError& e) {
    throw Error(e.what());
  }
  return guarded("cannot open the database", [&] {
    return Database(std::make_unique<Impl>(
        Impl{sms::db::Store::open(c.database.url, c.database.busy_timeout_ms), Impl::os_user()}));
  });
}

std::int64_t Database::enqueue(const NewMessage& m) {
  sms::db::OutRow r;
  r.recipient = m.recipient;
  r.text = m.text;
  r.priority = m.priority;
  r.send_at = m.send_at;
  r.modem = m.modem;
  r.status_report = m.status_report;
  r.flash = m.flash;
  r.validity_minutes = m.validity_minutes;
  r.ref = m.ref;
  if (!m.kind.empty()) r.kind = m.kind;
  r.batch = m.batch;
  r.submitted_by = impl_->actor;
  return guarded("cannot queue the message", [&] {
    const auto id = impl_->store.enqueue(r);
    impl_->store.audit(impl_->actor, "send", "outbox:" + std::to_string(id),
                       "library API" + (m.kind.empty() ? std::string() : ", kind " + m.kind) +
                           (m.batch ? ", batch " + std::to_string(m.batch) : std::string()));
    return id;
  });
}

std::int64_t Database::enqueue(const std::string& recipient, const std::string& text) {
  NewMessage m;
  m.recipient = recipient;
  m.text = text;
  return enqueue(m);
}

std::vector<InMessage> Database::find_in_messages(const std::string& from_utc, const std::string& to_utc,
                                                  bool unprocessed_only) {
  return guarded("cannot read the inbox", [&] {
    std::vector<InMessage> out;
    for (const auto& r : impl_->store.find_in(from_utc, to_utc, unprocessed_only)) out.push_back(to_public(r));
    return out;
  });
}

std::vector<OutMessage> Database::find_out_messages(const std::string& from_utc, const std::string& to_utc,
                                                    const std::string& status) {
  return guarded("cannot read the outbox", [&] {
    std::vector<OutMessage> out;
    for (const auto& r : impl_->store.find_out(from_utc, to_utc, status)) out.push_back(to_public(r));
    return out;
  });
}

std::optional<OutMessage> Database::get_out_message(std::int64_t id) {
  return guarded("cannot read the outbox", [&]() -> std::optional<OutMessage> {
    auto r = impl_->store.get_out(id);
    if (!r) return std::nullopt;
    return to_public(*r);
  });
}

bool Database::set_processed(std::int64_t inbox_id, bool processed) {
  return guarded("cannot update the inbox", [&] {
    const bool changed = impl_->store.set_processed(inbox_id, processed);
    if (changed)
      impl_->store.audit(impl_->actor, processed ? "processed" : "unprocessed", "inbox:" + std::to_string(inbox_id),
                         "library API");
    return changed;
  });
}

void Database::set_actor(const std::string& actor) { impl_->actor = actor.empty() ? Impl::os_user() : actor; }
const std::string& Database::actor() const { return impl_->actor; }

std::int64_t Database::create_batch(const std::string& kind, const std::string& note) {
  return guarded("cannot create the batch", [&] {
    const auto id = impl_->store.create_batch(impl_->actor, kind, note);
    impl_->store.audit(impl_->actor, "batch", "batch:" + std::to_string(id), kind + (note.empty() ? "" : ": " + note));
    return id;
  });
}

std::vector<OutMessage> Database::pending_approval() {
  return guarded("cannot read the outbox", [&] {
    std::vector<OutMessage> out;
    for (const auto& r : impl_->store.pending_approval()) out.push_back(to_public(r));
    return out;
  });
}

namespace {
ApprovalResult to_public(sms::db::Store::ActResult r) { return {std::move(r.changed), std::move(r.refused)}; }
}  // namespace

ApprovalResult Database::approve(const std::vector<std::int64_t>& ids, const std::string& note, bool four_eyes) {
  return guarded("cannot approve", [&] { return to_public(impl_->store.approve(ids, impl_->actor, note, four_eyes)); });
}

ApprovalResult Database::reject(const std::vector<std::int64_t>& ids, const std::string& note) {
  if (note.empty()) throw Error("cannot reject: a note saying why is required");
  return guarded("cannot reject", [&] { return to_public(impl_->store.reject(ids, impl_->actor, note)); });
}

std::string utc_now() { return sms::db::utc_now(); }
std::string utc_in(int seconds_from_now) { return sms::db::utc_in(seconds_from_now); }

}  // namespace smserver
