-- Schema version 4: partly sent long messages, truncated inbound PDUs, and
-- the modem counters' watermark.
--
-- A long message whose modem vanished after some of its parts went out ends
-- 'unknown' with `parts` (how many the message has) and `refs` (the TP-MR of
-- each part that did go out, in part order, so "17,18" of 3 means parts 1
-- and 2). To send only the missing parts later, the server must encode them
-- exactly as before: the same text, split the same way, carrying the same
-- concatenation reference, through the same modem. The reference is kept here.
ALTER TABLE outbox ADD COLUMN concat_ref INTEGER;   -- 8-bit concatenation reference (multipart sends)
-- Set by `smsctl retry` of such a row (NULL otherwise): the first part still
-- to send. The row then goes out only through `sent_by`, with `concat_ref`.
ALTER TABLE outbox ADD COLUMN resume_part INTEGER;

-- Some modems cut long PDUs: the user data is shorter than its TP-UDL says.
-- What is there is decoded and stored, flagged here; the raw PDU stays in
-- `pdus` (inbox) / `pdu` (inbox_parts).
ALTER TABLE inbox ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE inbox_parts ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0;

-- The modems table's `sent` counter covers every message its worker recorded
-- sent up to counted_at (the worker writes it at most once a second while a
-- queue drains, to save a page per message). Messages recorded later have
-- sent_at after it, so after a crash the ones the counter misses are found:
-- smsctl status adds them, and the server writes them into the counter when
-- it starts. NULL (rows from before this version, whose counters are what
-- the old server wrote): nothing to add. (`failed` and `received` commit
-- with their rows.)
ALTER TABLE modems ADD COLUMN counted_at TEXT;
