#!/usr/bin/env bash
# Makes the old database files in this folder, as released builds left them:
#   schema-vN.db  the schema of db/schema/001..00N at commit fa39279 (the last
#                 build before schema 4; schema-v4.db: at 036c372, the last
#                 build before schema 5; schema-v5.db: at 61ae7f1, the last
#                 landed build before schema 6), in WAL mode like the server, with
#                 rows as that server wrote them: sent/delivered/unknown/queued
#                 outbox rows (refs, outbox_parts), a joined and a pending
#                 multipart inbox message, and a modems row whose counters
#                 already count its sent messages.
# The files are committed; this script only documents how they were made
# (run from the top of the checkout, with the sqlite3 CLI).
set -euo pipefail
out=tests/data/db
files=(001_initial.sql 002_claim_and_reassembly.sql 003_outbox_refs.sql 004_partial_sends_and_truncated.sql 005_policy.sql)
for n in 1 2 3 4 5; do
  rev=fa3927961371704909e300f2727716843f9272b4
  [ "$n" -ge 4 ] && rev=036c37215c852aadb9f97b0fbfd00361a8de2f00
  [ "$n" -ge 5 ] && rev=61ae7f1330ad00da3084b7f8a4e7001d41cf8514
  db=$out/schema-v$n.db
  rm -f "$db" "$db-wal" "$db-shm"
  {
    echo "PRAGMA journal_mode=WAL;"
    for ((i = 0; i < n; i++)); do git show "$rev:db/schema/${files[$i]}"; done
    echo "PRAGMA user_version = $n;"
    cat <<'SQL'
INSERT INTO outbox(recipient, text, status, sent_at, sent_by, parts, attempts, handed, claimed_by)
  VALUES ('+8613800138000', 'old sent', 'sent', '2026-11-20 08:00:00.000', 'm1', 1, 1, 1, 'm1');
INSERT INTO outbox(recipient, text, status, sent_at, sent_by, parts, attempts, handed, claimed_by,
                   delivery_status, delivered_at)
  VALUES ('+8613800138001', 'old delivered', 'delivered', '2026-11-20 08:00:01.000', 'm1', 1, 1, 1, 'm1',
          'delivered', '2026-11-20 08:00:05');
INSERT INTO outbox(recipient, text, status, attempts, handed, claimed_by, last_error)
  VALUES ('+8613800138002', 'old unknown', 'unknown', 1, 1, 'm1', 'server stopped after handing the message to modem m1');
INSERT INTO outbox(recipient, text) VALUES ('+8613800138003', 'old queued');
INSERT INTO outbox_parts(outbox_id, attempt, seq, modem, reference, recipient, status)
  VALUES (2, 1, 1, 'm1', 17, '+8613800138001', 'delivered');
INSERT INTO inbox(sender, text, received_at, modem, parts, pdus)
  VALUES ('+8613912345678', '您好', '2026-11-20 07:00:00', 'm1', 1, '0791...');
INSERT INTO modems(id, port, state, sent, failed, received)
  VALUES ('m1', '/dev/ttyUSB0', 'stopped', 2, 0, 1);
SQL
    if [ "$n" -ge 2 ]; then
      echo "INSERT INTO inbox_parts(group_id, sender, ref, total, seq, text, received_at, pdu, modem)"
      echo "  VALUES (1, '+8613912345679', 7, 2, 1, 'waiting ', '2026-11-20 07:30:00', '0791...', 'm1');"
    fi
    if [ "$n" -ge 3 ]; then
      echo "UPDATE outbox SET refs = '5' WHERE id = 1;"
      echo "UPDATE outbox SET refs = '17' WHERE id = 2;"
    fi
    if [ "$n" -ge 4 ]; then
      # A long message the modem left after two of its three parts, an inbound
      # PDU the modem cut, and counters written at 08:00:01 (both sent rows).
      echo "UPDATE outbox SET parts = 3, refs = '21,22', concat_ref = 9, sent_by = 'm1' WHERE id = 3;"
      echo "UPDATE inbox SET truncated = 1;"
      echo "UPDATE modems SET counted_at = '2026-11-20 08:00:01.000';"
    fi
    if [ "$n" -ge 5 ]; then
      # Lists as schema 5 left them: an opt-out by SMS and a whitelisted number.
      echo "INSERT INTO number_lists(number, list, added_by, source, inbox_id) VALUES ('+8613955112345', 'optout', 'smserver', 'sms', 1);"
      echo "INSERT INTO number_lists(number, list, added_by, source) VALUES ('+8613955112346', 'whitelist', 'li', 'smsctl');"
    fi
    echo "PRAGMA wal_checkpoint(TRUNCATE);"
  } | sqlite3 "$db" >/dev/null
  # One self-contained file (the WAL is checkpointed and removed on close).
  sqlite3 "$db" "PRAGMA journal_mode=DELETE;" >/dev/null
done
