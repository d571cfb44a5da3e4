-- Schema 7 (messaging, issue 10): the address book (通讯录) and its groups
-- (编组). Numbers are E.164 (the caller normalises). A department owns its
-- contacts and groups (accounts of one department see only theirs, issue
-- 11; '' = no department). Nothing sent refers to a contact: outbox rows
-- keep their own recipient and text, so deleting a contact rewrites nothing.
CREATE TABLE contacts (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL DEFAULT '',
  number      TEXT NOT NULL,
  department  TEXT NOT NULL DEFAULT '',
  note        TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
  updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
  created_by  TEXT,
  UNIQUE (department, number)           -- one entry a number in a department: imports count the rest as duplicates
);
CREATE INDEX contacts_number ON contacts(number);   -- who is this sender (replies, forwarding)
CREATE INDEX contacts_name ON contacts(name);

-- Free fields of a contact (the columns of an imported sheet that are none
-- of the above: 车牌, 房号, ...), filled into templates as {name of the field}.
CREATE TABLE contact_fields (
  contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  value       TEXT NOT NULL,
  PRIMARY KEY (contact_id, name)
) WITHOUT ROWID;

-- "groups" is an SQL keyword (window frames), hence contact_groups.
CREATE TABLE contact_groups (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  department  TEXT NOT NULL DEFAULT '',
  note        TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
  created_by  TEXT,
  UNIQUE (department, name)
);

-- A contact in any number of groups. Members are listed by contact id, a
-- page at a time by key (no OFFSET: a 50,000-member group pages as fast).
CREATE TABLE group_members (
  group_id    INTEGER NOT NULL REFERENCES contact_groups(id) ON DELETE CASCADE,
  contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  added_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
  PRIMARY KEY (group_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX group_members_contact ON group_members(contact_id);
