-- Schema version 2: indexes for the claim query, persisted multipart parts,
-- and triggers that keep integrator-written rows consistent.

-- The claim query walks queued rows in (priority DESC, id) order. Both
-- indexes are partial: a row leaves them when it stops being 'queued', so they
-- stay small however long the outbox history grows, and rows without send_at
-- never touch the second one (it serves next_due_time()).
CREATE INDEX outbox_claim ON outbox(priority DESC, id) WHERE status = 'queued';
CREATE INDEX outbox_due ON outbox(send_at) WHERE status = 'queued' AND send_at IS NOT NULL;

-- Parts of inbound multipart messages. Pending parts (inbox_id NULL) wait for
-- their siblings; parts already joined keep inbox_id for a few days so a part
-- the network re-delivers is recognised as a duplicate instead of starting a
-- new, forever-partial message. group_id ties the parts of one message
-- together: the 8-bit concatenation reference repeats, so (sender, ref,
-- total) alone does not identify a message.
CREATE TABLE inbox_parts (
  id          INTEGER PRIMARY KEY,
  group_id    INTEGER,
  sender      TEXT NOT NULL,
  ref         INTEGER NOT NULL,
  total       INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  text        TEXT NOT NULL,
  received_at TEXT NOT NULL,                        -- SMSC timestamp, UTC
  pdu         TEXT,
  modem       TEXT,
  smsc        TEXT,
  stored_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
  inbox_id    INTEGER                               -- set once the message is in inbox
);
CREATE INDEX inbox_parts_key ON inbox_parts(sender, ref, total, seq);
CREATE INDEX inbox_parts_group ON inbox_parts(group_id);
CREATE INDEX inbox_parts_pending ON inbox_parts(inbox_id, stored_at);
CREATE INDEX inbox_dedup ON inbox(sender, received_at);

-- Keep updated_at current when someone else (an integrator, the sqlite3 CLI)
-- updates a row without setting it. The server sets updated_at itself, so the
-- WHEN clause keeps this from firing on the hot path.
CREATE TRIGGER outbox_touch AFTER UPDATE ON outbox
  WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE outbox SET updated_at = strftime('%Y-%m-%d %H:%M:%f','now') WHERE id = NEW.id;
END;

-- Integrators write send_at in many forms ('2026-11-23T08:00:00Z',
-- '2026-11-23 16:00+08:00', '2026-11-23 08:00'). Rewrite it to the canonical
-- UTC text so the claim query's text comparison is right; a value SQLite
-- cannot read as a time makes the row fail with the value in last_error
-- (otherwise it would wait forever).
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
