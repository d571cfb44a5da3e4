-- Schema version 1: the outbox (a public interface: other programs INSERT
-- into it), the parts of sent messages, the inbox and the modems table.
-- Every time column is UTC text 'YYYY-MM-DD HH:MM:SS[.SSS]', so
-- "WHERE created_at >= datetime('now','-1 day')" works.
--
-- No CHECK constraint guards what an integrator writes (recipient, text,
-- send_at...): a bad row must still be insertable and then become 'failed'
-- with a readable last_error when the server claims it. Only `status` is
-- checked, because only the server and smsctl write it.

CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  -- set by the integrator
  recipient        TEXT,
  text             TEXT,
  priority         INTEGER DEFAULT 0,                -- higher first
  send_at          TEXT,                             -- UTC; NULL = now
  modem            TEXT,                             -- preferred modem id; NULL = any
  status_report    INTEGER DEFAULT 0,                -- 1 = request a delivery report
  flash            INTEGER DEFAULT 0,                -- 1 = class 0 message
  validity_minutes INTEGER,
  ref              TEXT,                             -- the caller's own reference
  -- maintained by the server
  status           TEXT DEFAULT 'queued'
                   CHECK (status IN ('queued','sending','sent','delivered','undelivered',
                                     'failed','cancelled','unknown')),
  created_at       TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
  updated_at       TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
  sent_at          TEXT,
  attempts         INTEGER DEFAULT 0,
  last_error       TEXT,
  parts            INTEGER DEFAULT 0,
  sent_by          TEXT,                             -- modem id that sent it
  claimed_by       TEXT,                             -- modem id whose worker holds it
  handed           INTEGER DEFAULT 0,                -- 1 = written to the modem (crash => unknown)
  delivery_status  TEXT,                             -- words from the status report
  delivered_at     TEXT                              -- discharge time of the status report
);
-- No NOT NULL above: ORMs and generic database layers often insert every
-- column, with NULL for the ones the caller did not set. Such an INSERT must
-- work and mean "the default", so this trigger fills the defaults in.
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

-- One row per submitted part: the TP-MR the modem answered in +CMGS, so status
-- reports (which carry only modem, reference and recipient) can be matched.
-- attempt is outbox.attempts at the time of the send, so a message sent again
-- after 'unknown' keeps the references of both sends. Clustered by message
-- (WITHOUT ROWID): one index less to write per sent message.
CREATE TABLE outbox_parts (
  outbox_id   INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
  attempt     INTEGER NOT NULL DEFAULT 1,
  seq         INTEGER NOT NULL,                     -- 1-based part number
  modem       TEXT NOT NULL,
  reference   INTEGER NOT NULL,                     -- TP-MR (0..255)
  recipient   TEXT,
  status      TEXT NOT NULL DEFAULT 'sent'
              CHECK (status IN ('sent','delivered','undelivered','pending')),
  status_text TEXT,
  updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
  PRIMARY KEY (outbox_id, attempt, seq)
) WITHOUT ROWID;
CREATE INDEX outbox_parts_reference ON outbox_parts(modem, reference);

CREATE TABLE inbox (
  id          INTEGER PRIMARY KEY,
  sender      TEXT NOT NULL,
  text        TEXT NOT NULL,
  received_at TEXT NOT NULL,                        -- SMSC timestamp, UTC
  stored_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
  modem       TEXT,
  smsc        TEXT,
  parts       INTEGER NOT NULL DEFAULT 1,
  processed   INTEGER NOT NULL DEFAULT 0,
  partial     INTEGER NOT NULL DEFAULT 0,           -- 1 = some parts never came
  pdus        TEXT                                  -- raw PDUs, hex, one per line
);
CREATE INDEX inbox_received_at ON inbox(received_at);
CREATE INDEX inbox_stored_at ON inbox(stored_at);

CREATE TABLE modems (
  id           TEXT PRIMARY KEY,
  port         TEXT,
  state        TEXT,
  manufacturer TEXT,
  model        TEXT,
  revision     TEXT,
  imei         TEXT,
  imsi         TEXT,
  operator     TEXT,
  signal_dbm   INTEGER,
  smsc         TEXT,
  last_seen    TEXT,
  last_error   TEXT,
  sent         INTEGER NOT NULL DEFAULT 0,
  failed       INTEGER NOT NULL DEFAULT 0,
  received     INTEGER NOT NULL DEFAULT 0,
  updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now'))
);
