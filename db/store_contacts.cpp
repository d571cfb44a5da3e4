// The address book (schema 7): contacts with free fields, groups and their
// members. Reads page by key (id > after), never by OFFSET.
#include <sqlite3.h>

#include <algorithm>

#include "db/store_rows.hpp"

namespace sms::db {

using detail::Conn;
using detail::Query;
using detail::Tx;

// Statements are cached by the address of their literal text, so the
// column lists are spliced in at compile time.
#define SMS_CONTACT_COLUMNS "id, name, number, department, note, created_at, updated_at, created_by"
#define SMS_GROUP_SELECT                                                              \
  "SELECT g.id, g.name, g.department, g.note, g.created_at, g.created_by,"           \
  " (SELECT count(*) FROM group_members m WHERE m.group_id = g.id) FROM contact_groups g"

namespace {

// Columns as SMS_CONTACT_COLUMNS lists them.
Store::Contact read_contact(const Query& q) {
  Store::Contact c;
  c.id = q.int64(0);
  c.name = q.text(1);
  c.number = q.text(2);
  c.department = q.text(3);
  c.note = q.text(4);
  c.created_at = q.text(5);
  c.updated_at = q.text(6);
  c.created_by = q.text(7);
  return c;
}

void read_fields(Conn& c, Store::Contact& contact) {
  Query q(c, "SELECT name, value FROM contact_fields WHERE contact_id = ?1 ORDER BY name");
  q.bind(1, contact.id);
  while (q.step()) contact.fields.emplace_back(q.text(0), q.text(1));
}

void write_fields(Conn& c, std::int64_t id, const std::vector<std::pair<std::string, std::string>>& fields) {
  for (const auto& [name, value] : fields) {
    Query q(c, "INSERT INTO contact_fields(contact_id, name, value) VALUES (?1, ?2, ?3)"
               " ON CONFLICT(contact_id, name) DO UPDATE SET value = excluded.value");
    q.bind(1, id).bind(2, name).bind(3, value).run();
  }
}

std::string dept_text(std::string_view department) {
  return department.empty() ? std::string("no department") : "department '" + std::string(department) + "'";
}

// The contact holding `number` in `department`, other than `except`.
std::optional<std::pair<std::int64_t, std::string>> holder(Conn& c, std::string_view number,
                                                           std::string_view department, std::int64_t except) {
  Query q(c, "SELECT id, name FROM contacts WHERE department = ?1 AND number = ?2 AND id <> ?3");
  q.bind(1, department).bind(2, number).bind(3, except);
  if (!q.step()) return std::nullopt;
  return std::make_pair(q.int64(0), q.text(1));
}

bool join(Conn& c, std::int64_t group, std::int64_t contact, const std::string& now) {
  Query q(c, "INSERT INTO group_members(group_id, contact_id, added_at) VALUES (?1, ?2, ?3)"
             " ON CONFLICT(group_id, contact_id) DO NOTHING");
  q.bind(1, group).bind(2, contact).bind(3, now).run();
  return sqlite3_changes(c.db()) > 0;
}

// Existence checks that read nothing else (contact() also reads the free
// fields, group() counts the members).
bool contact_exists(Conn& c, std::int64_t id) {
  Query q(c, "SELECT 1 FROM contacts WHERE id = ?1");
  q.bind(1, id);
  return q.step();
}

bool group_exists(Conn& c, std::int64_t id) {
  Query q(c, "SELECT 1 FROM contact_groups WHERE id = ?1");
  q.bind(1, id);
  return q.step();
}

std::string group_object(std::int64_t id) { return "group:" + std::to_string(id); }
std::string contact_object(std::int64_t id) { return "contact:" + std::to_string(id); }

}  // namespace

// ---- contacts ----

Store::ContactsAdded Store::contacts_add(const std::vector<Contact>& contacts, std::int64_t group,
                                         std::string_view source, std::string_view actor) {
  auto& c = *conn_;
  ContactsAdded r;
  Tx tx(c);
  const std::string now = utc_now();
  if (group && !group_exists(c, group)) throw StoreError("no group " + std::to_string(group));
  for (const auto& contact : contacts) {
    std::int64_t id = 0;
    {
      Query q(c, "INSERT INTO contacts(name, number, department, note, created_at, updated_at, created_by)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6) ON CONFLICT(department, number) DO NOTHING");
      q.bind(1, contact.name).bind(2, contact.number).bind(3, contact.department).bind(4, contact.note);
      q.bind(5, now).bind_or_null(6, actor).run();
      if (sqlite3_changes(c.db()) > 0) id = sqlite3_last_insert_rowid(c.db());
    }
    if (id) {
      ++r.added;
      write_fields(c, id, contact.fields);
    } else {
      ++r.duplicate;
      id = holder(c, contact.number, contact.department, 0)->first;
    }
    r.ids.push_back(id);
    if (group && join(c, group, id, now)) ++r.joined;
  }
  std::string details = std::to_string(r.added) + " added, " + std::to_string(r.duplicate) + " already there";
  if (group) details += ", " + std::to_string(r.joined) + " joined group " + std::to_string(group);
  if (!source.empty()) details += " (" + std::string(source) + ")";
  if (contacts.size() == 1) details += ": " + contacts[0].number;
  detail::audit_in_tx(c, actor, "contact add", r.ids.size() == 1 ? contact_object(r.ids[0]) : "contacts", details,
                      now);
  tx.commit();
  return r;
}

std::string Store::contact_edit(std::int64_t id, const ContactEdit& e, std::string_view actor) {
  auto& c = *conn_;
  Tx tx(c);
  auto old = contact(id);
  if (!old) return "no contact " + std::to_string(id);
  Contact now_c = *old;
  if (e.name) now_c.name = *e.name;
  if (e.number) now_c.number = *e.number;
  if (e.department) now_c.department = *e.department;
  if (e.note) now_c.note = *e.note;
  if (auto other = holder(c, now_c.number, now_c.department, id))
    return now_c.number + " is already in the address book of " + dept_text(now_c.department) + " as '" +
           other->second + "' (contact " + std::to_string(other->first) + ")";
  const std::string now = utc_now();
  {
    Query q(c, "UPDATE contacts SET name = ?2, number = ?3, department = ?4, note = ?5, updated_at = ?6 WHERE id = ?1");
    q.bind(1, id).bind(2, now_c.name).bind(3, now_c.number).bind(4, now_c.department).bind(5, now_c.note);
    q.bind(6, now).run();
  }
  std::vector<std::string> changed;
  if (e.name && *e.name != old->name) changed.push_back("name '" + old->name + "' -> '" + *e.name + "'");
  if (e.number && *e.number != old->number) changed.push_back("number " + old->number + " -> " + *e.number);
  if (e.department && *e.department != old->department)
    changed.push_back("department '" + old->department + "' -> '" + *e.department + "'");
  if (e.note && *e.note != old->note) changed.push_back("note");
  if (e.fields) {
    Query d(c, "DELETE FROM contact_fields WHERE contact_id = ?1");
    d.bind(1, id).run();
    write_fields(c, id, *e.fields);
    changed.push_back("free fields");
  }
  std::string details;
  for (const auto& ch : changed) details += (details.empty() ? "" : "; ") + ch;
  detail::audit_in_tx(c, actor, "contact edit", contact_object(id), details.empty() ? "nothing changed" : details,
                      now);
  tx.commit();
  return {};
}

int Store::contacts_remove(const std::vector<std::int64_t>& ids, std::string_view actor) {
  auto& c = *conn_;
  Tx tx(c);
  const std::string now = utc_now();
  int removed = 0;
  std::string names;
  for (auto id : ids) {
    auto old = contact(id);
    if (!old) continue;
    Query q(c, "DELETE FROM contacts WHERE id = ?1");   // fields and memberships: ON DELETE CASCADE
    q.bind(1, id).run();
    ++removed;
    if (removed <= 10) names += (names.empty() ? "" : ", ") + old->number + (old->name.empty() ? "" : " " + old->name);
  }
  if (removed > 10) names += " and " + std::to_string(removed - 10) + " more";
  detail::audit_in_tx(c, actor, "contact remove", ids.size() == 1 ? contact_object(ids[0]) : "contacts",
                      std::to_string(removed) + " removed" + (names.empty() ? "" : ": " + names), now);
  tx.commit();
  return removed;
}

std::optional<Store::Contact> Store::contact(std::int64_t id) {
  Query q(*conn_, "SELECT " SMS_CONTACT_COLUMNS
                  " FROM contacts WHERE id = ?1");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  Contact r = read_contact(q);
  read_fields(*conn_, r);
  return r;
}

std::vector<Store::Contact> Store::contacts(const ContactQuery& f) {
  // One statement for every filter: a NULL parameter switches its filter
  // off. instr(), not LIKE: a search text with % or _ means itself.
  Query q(*conn_,
          "SELECT c.id, c.name, c.number, c.department, c.note, c.created_at, c.updated_at, c.created_by"
          " FROM contacts c WHERE c.id > ?1"
          " AND (?2 IS NULL OR c.department = ?2)"
          " AND (?3 = 0 OR c.id IN (SELECT contact_id FROM group_members WHERE group_id = ?3))"
          " AND (?4 IS NULL OR instr(c.name, ?4) OR instr(c.number, ?4) OR instr(c.note, ?4)"
          "      OR EXISTS (SELECT 1 FROM contact_fields f WHERE f.contact_id = c.id AND instr(f.value, ?4)))"
          " ORDER BY c.id LIMIT ?5");
  q.bind(1, f.after_id);
  if (f.department) q.bind(2, *f.department); else q.bind_null(2);
  q.bind(3, f.group);
  q.bind_or_null(4, f.search);
  q.bind(5, static_cast<std::int64_t>(std::max(f.limit, 0)));
  std::vector<Contact> out;
  while (q.step()) out.push_back(read_contact(q));
  for (auto& contact : out) read_fields(*conn_, contact);
  return out;
}

std::vector<Store::Contact> Store::contacts_by_number(const std::string& e164) {
  Query q(*conn_, "SELECT " SMS_CONTACT_COLUMNS
                  " FROM contacts WHERE number = ?1 ORDER BY id");
  q.bind(1, e164);
  std::vector<Contact> out;
  while (q.step()) out.push_back(read_contact(q));
  for (auto& contact : out) read_fields(*conn_, contact);
  return out;
}

// ---- groups ----

std::string Store::group_add(std::string_view name, std::string_view department, std::string_view note,
                             std::string_view actor, std::int64_t* id) {
  auto& c = *conn_;
  if (name.empty()) return "a group needs a name";
  Tx tx(c);
  const std::string now = utc_now();
  Query q(c, "INSERT INTO contact_groups(name, department, note, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)"
             " ON CONFLICT(department, name) DO NOTHING");
  q.bind(1, name).bind(2, department).bind(3, note).bind(4, now).bind_or_null(5, actor).run();
  if (sqlite3_changes(c.db()) == 0)
    return "group '" + std::string(name) + "' already exists in " + dept_text(department);
  const std::int64_t gid = sqlite3_last_insert_rowid(c.db());
  detail::audit_in_tx(c, actor, "group add", group_object(gid), "'" + std::string(name) + "' in " + dept_text(department),
                      now);
  tx.commit();
  if (id) *id = gid;
  return {};
}

bool Store::group_remove(std::int64_t id, std::string_view actor) {
  auto& c = *conn_;
  Tx tx(c);
  auto g = group(id);
  if (!g) return false;
  Query q(c, "DELETE FROM contact_groups WHERE id = ?1");   // memberships: ON DELETE CASCADE
  q.bind(1, id).run();
  detail::audit_in_tx(c, actor, "group remove", group_object(id),
                      "'" + g->name + "' in " + dept_text(g->department) + " with " + std::to_string(g->members) +
                          " member(s); the contacts stay",
                      utc_now());
  tx.commit();
  return true;
}

namespace {
// Columns as SMS_GROUP_SELECT lists them.
Store::Group read_group(const Query& q) {
  Store::Group g;
  g.id = q.int64(0);
  g.name = q.text(1);
  g.department = q.text(2);
  g.note = q.text(3);
  g.created_at = q.text(4);
  g.created_by = q.text(5);
  g.members = q.int64(6);
  return g;
}
}  // namespace

std::optional<Store::Group> Store::group(std::string_view name, std::string_view department) {
  Query q(*conn_,
          SMS_GROUP_SELECT
          " WHERE g.name = ?1 AND g.department = ?2");
  q.bind(1, name).bind(2, department);
  if (!q.step()) return std::nullopt;
  return read_group(q);
}

std::optional<Store::Group> Store::group(std::int64_t id) {
  Query q(*conn_,
          SMS_GROUP_SELECT
          " WHERE g.id = ?1");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read_group(q);
}

std::vector<Store::Group> Store::groups(const std::optional<std::string>& department) {
  Query q(*conn_,
          SMS_GROUP_SELECT
          " WHERE ?1 IS NULL OR g.department = ?1 ORDER BY g.department, g.name");
  if (department) q.bind(1, *department); else q.bind_null(1);
  std::vector<Group> out;
  while (q.step()) out.push_back(read_group(q));
  return out;
}

Store::Membership Store::group_add_members(std::int64_t group, const std::vector<std::int64_t>& contacts,
                                           std::string_view actor) {
  auto& c = *conn_;
  Membership r;
  Tx tx(c);
  if (!group_exists(c, group)) throw StoreError("no group " + std::to_string(group));
  const std::string now = utc_now();
  for (auto id : contacts) {
    if (!contact_exists(c, id)) ++r.missing;
    else if (join(c, group, id, now)) ++r.changed;
    else ++r.unchanged;
  }
  detail::audit_in_tx(c, actor, "group add-member", group_object(group),
                      std::to_string(r.changed) + " joined, " + std::to_string(r.unchanged) + " already members" +
                          (r.missing ? ", " + std::to_string(r.missing) + " no such contact" : ""),
                      now);
  tx.commit();
  return r;
}

Store::Membership Store::group_remove_members(std::int64_t group, const std::vector<std::int64_t>& contacts,
                                              std::string_view actor) {
  auto& c = *conn_;
  Membership r;
  Tx tx(c);
  if (!group_exists(c, group)) throw StoreError("no group " + std::to_string(group));
  for (auto id : contacts) {
    Query q(c, "DELETE FROM group_members WHERE group_id = ?1 AND contact_id = ?2");
    q.bind(1, group).bind(2, id).run();
    if (sqlite3_changes(c.db()) > 0) ++r.changed;
    else ++r.unchanged;
  }
  detail::audit_in_tx(c, actor, "group remove-member", group_object(group),
                      std::to_string(r.changed) + " left, " + std::to_string(r.unchanged) + " were not members",
                      utc_now());
  tx.commit();
  return r;
}

}  // namespace sms::db
