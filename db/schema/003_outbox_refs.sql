-- Schema version 3: a sent message's part references in its outbox row.
--
-- outbox.refs holds the TP-MR the modem gave each part, in part order
-- ("17" or "17,18,19"). outbox_parts keeps one row per part only for
-- messages that asked for a status report, the only ones a report can
-- match: a message sent without one then writes no outbox_parts row and
-- index entry, two B-tree pages fewer on every commit of the send path.
-- Rows sent before this version have their references in outbox_parts only.
ALTER TABLE outbox ADD COLUMN refs TEXT;
