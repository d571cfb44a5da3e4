-- Schema version 5: the sending policy (message kinds, lists, counters,
-- approval, batches, the audit log).
--
-- outbox gains three statuses (blocked, pending_approval, rejected, and
-- 'held' for the pre-send test of a batch) and the policy's columns. SQLite
-- cannot change a CHECK constraint in place, so the table is rebuilt (the
-- procedure of SQLite's "ALTER TABLE" page: new table, copy, drop, rename;
-- the store runs migrations with foreign keys off, so dropping the old table
-- does not cascade to outbox_parts). Its indexes and triggers go with the
-- old table and are created again below, unchanged.
CREATE TABLE outbox_v5 (
  id               INTEGER PRIMARY KEY,
  -- set by the integrator
  recipient        TEXT,
  text             TEXT,
  priority         INTEGER DEFAULT 0,
  send_at          TEXT,
  modem            TEXT,
  status_report    INTEGER DEFAULT 0,
  flash            INTEGER DEFAULT 0,
  validity_minutes INTEGER,
  ref              TEXT,
  -- maintained by the server
  status           TEXT DEFAULT 'queued'
                   CHECK (status IN ('queued','sending','sent','delivered','undelivered',
                                     'failed','cancelled','unknown',
                                     'blocked','pending_approval','rejected','held')),
  created_at       TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
  updated_at       TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
  sent_at          TEXT,
  attempts         INTEGER DEFAULT 0,
  last_error       TEXT,
  parts            INTEGER DEFAULT 0,
  sent_by          TEXT,
  claimed_by       TEXT,
  handed           INTEGER DEFAULT 0,
  delivery_status  TEXT,
  delivered_at     TEXT,
  refs             TEXT,
  concat_ref       INTEGER,
  resume_part      INTEGER,
  -- the sending policy (set by the integrator or smsctl)
  kind             TEXT,                             -- 'notice' | 'bulk'; NULL = <policy defaultKind>
  batch            INTEGER,                          -- batches.id (a group send); NULL = none
  submitted_by     TEXT,                             -- who queued it (smsctl: the OS user)
  -- the sending policy (maintained by the server)
  reason           TEXT,                             -- why it is blocked, deferred, waiting or rejected
  approved_by      TEXT,
  approved_at      TEXT,
  counted          TEXT,                             -- policy counter keys it was counted in (one a line)
  counted_at       TEXT                              -- when (the claim): recovers counts a crash lost
);
INSERT INTO outbox_v5(id, recipient, text, priority, send_at, modem, status_report, flash, validity_minutes, ref,
                      status, created_at, updated_at, sent_at, attempts, last_error, parts, sent_by, claimed_by,
                      handed, delivery_status, delivered_at, refs, concat_ref, resume_part)
  SELECT id, recipient, text, priority, send_at, modem, status_report, flash, validity_minutes, ref,
         status, created_at, updated_at, sent_at, attempts, last_error, parts, sent_by, claimed_by,
         handed, delivery_status, delivered_at, refs, concat_ref, resume_part FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v5 RENAME TO outbox;

-- As in versions 1 and 2.
CREATE TRIGGER outbox_defaults AFTER INSERT ON outbox
  WHEN NEW.status IS NULL OR NEW.priority IS NULL OR NEW.status_report IS NULL OR NEW.flash IS NULL
    OR NEW.created_at IS NULL OR NEW.updated_at IS NULL OR NEW.attempts IS NULL OR NEW.parts IS NULL
    OR NEW.handed IS NULL
BEGIN
  UPDATE outbox SET
    status        = coalesce(status, 'queued'),
    priority      = coalesce(priority, 0),
    status_report = coalesce(status_report, 0),
    flash         = coalesce(flash, 0),
    created_at    = coalesce(created_at, strftime('%Y-%m-%d %H:%M:%f','now')),
    updated_at    = coalesce(updated_at, strftime('%Y-%m-%d %H:%M:%f','now')),
    attempts      = coalesce(attempts, 0),
    parts         = coalesce(parts, 0),
    handed        = coalesce(handed, 0)
  WHERE id = NEW.id;
END;
CREATE INDEX outbox_created_at ON outbox(created_at);
CREATE INDEX outbox_claim ON outbox(priority DESC, id) WHERE status = 'queued';
CREATE INDEX outbox_due ON outbox(send_at) WHERE status = 'queued' AND send_at IS NOT NULL;
CREATE TRIGGER outbox_touch AFTER UPDATE ON outbox
  WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE outbox SET updated_at = strftime('%Y-%m-%d %H:%M:%f','now') WHERE id = NEW.id;
END;
CREATE TRIGGER outbox_send_at_insert AFTER INSERT ON outbox
  WHEN NEW.send_at IS NOT NULL
   AND (strftime('%Y-%m-%d %H:%M:%f', NEW.send_at) IS NOT NEW.send_at)
BEGIN
  UPDATE outbox SET
    send_at    = COALESCE(strftime('%Y-%m-%d %H:%M:%f', NEW.send_at), NEW.send_at),
    status     = CASE WHEN strftime('%Y-%m-%d %H:%M:%f', NEW.send_at) IS NULL
                      THEN 'failed' ELSE status END,
    last_error = CASE WHEN strftime('%Y-%m-%d %H:%M:%f', NEW.send_at) IS NULL
                      THEN 'send_at ''' || NEW.send_at ||
                           ''' is not a time (write UTC as YYYY-MM-DD HH:MM:SS)'
                      ELSE last_error END,
    updated_at = strftime('%Y-%m-%d %H:%M:%f','now')
  WHERE id = NEW.id;
END;
CREATE TRIGGER outbox_send_at_update AFTER UPDATE OF send_at ON outbox
  WHEN NEW.send_at IS NOT NULL
   AND strftime('%Y-%m-%d %H:%M:%f', NEW.send_at) IS NOT NULL
   AND strftime('%Y-%m-%d %H:%M:%f', NEW.send_at) IS NOT NEW.send_at
BEGIN
  UPDATE outbox SET send_at = strftime('%Y-%m-%d %H:%M:%f', NEW.send_at) WHERE id = NEW.id;
END;

-- New: rows of a batch (approval, reports), and what waits for approval.
CREATE INDEX outbox_batch ON outbox(batch) WHERE batch IS NOT NULL;
CREATE INDEX outbox_pending ON outbox(batch, id) WHERE status = 'pending_approval';
-- Sent rows by time (the retention purge, statistics).
CREATE INDEX outbox_sent_at ON outbox(sent_at) WHERE sent_at IS NOT NULL;

-- A group send: every row of one `smsctl send --to A,B,C` (or an
-- integrator's own batch id).
CREATE TABLE batches (
  id          INTEGER PRIMARY KEY,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
  created_by  TEXT,
  kind        TEXT,
  note        TEXT
);

-- White list, black list and opt-out list, numbers in E.164. Keyed by
-- number first, so the claim gate learns every list a recipient is on with
-- one lookup.
CREATE TABLE number_lists (
  number    TEXT NOT NULL,
  list      TEXT NOT NULL CHECK (list IN ('whitelist','blacklist','optout')),
  added_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
  added_by  TEXT,                                    -- actor, or 'smserver' for an opt-out by SMS
  source    TEXT,                                    -- 'smsctl', 'import FILE', 'sms'
  note      TEXT,
  inbox_id  INTEGER,                                 -- opt-out: the message that asked for it
  PRIMARY KEY (number, list)
) WITHOUT ROWID;
CREATE INDEX number_lists_list ON number_lists(list, added_at);

-- Frequency-limit counters (see src/policy/policy.hpp, counter_key): what
-- was handed to modems per recipient / in total / per modem and local period.
CREATE TABLE policy_counters (
  key         TEXT PRIMARY KEY,
  n           INTEGER NOT NULL DEFAULT 0,
  updated_at  TEXT NOT NULL
) WITHOUT ROWID;

-- Who did what, and every decision of the policy.
CREATE TABLE audit (
  id       INTEGER PRIMARY KEY,
  at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
  actor    TEXT NOT NULL,                            -- OS/account user, or 'policy', 'smserver'
  action   TEXT NOT NULL,                            -- send, cancel, approve, blocked, deferred, optout, ...
  object   TEXT,                                     -- 'outbox:12', 'batch:3', 'whitelist', 'inbox:7'
  details  TEXT
);
CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_object ON audit(object, id);
