#!/bin/sh
# Runs the real smsctl against a temporary database: send (one number, a
# file), out/in in every format, cancel/retry/processed, status, stats, and
# the exit statuses. Usage: smsctl_db_cli.sh PATH/TO/smsctl
set -u
SMSCTL=$1
DIR=$(mktemp -d "${TMPDIR:-/tmp}/smsctl-cli-XXXXXX")
trap 'rm -rf "$DIR"' EXIT
DB="$DIR/sms.db"
FAILS=0

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
# expect STATUS COMMAND...: runs smsctl --db, keeps stdout in $OUT, stderr in $ERR
expect() {
  want=$1; shift
  cmd=$1; shift
  "$SMSCTL" "$cmd" --db "$DB" "$@" >"$DIR/out" 2>"$DIR/err"
  got=$?
  OUT=$(cat "$DIR/out"); ERR=$(cat "$DIR/err")
  [ "$got" = "$want" ] || fail "smsctl $cmd $* exited $got, expected $want (stderr: $ERR)"
}
contains() { case "$1" in *"$2"*) ;; *) fail "expected '$2' in: $1" ;; esac; }

# send: prints the id
expect 0 send --to "+86 138-0013-8000" "您好，世界"
[ "$OUT" = "1" ] || fail "first id is '$OUT'"
expect 0 send --to 10086 --priority 5 --at=+1h --srr --ref order-7 hello
[ "$OUT" = "2" ] || fail "second id is '$OUT'"
expect 2 send --to 12a x
contains "$ERR" "'a' at position 2"
expect 2 send --to 10086
contains "$ERR" "no text"
expect 2 send --to 10086 --at tomorrowish x
contains "$ERR" "is not a time"
printf 'hello from stdin\n' | "$SMSCTL" send --db "$DB" --to 10010 - >"$DIR/out" || fail "send from stdin"
[ "$(cat "$DIR/out")" = "3" ] || fail "stdin id"

# send --file: header skipped, bad line reported with its number, nothing queued
printf 'phone,name\n+8613800138000,Zhang\n"13900000000",Li\nabc,bad\n\n# comment\n10010\n' >"$DIR/r.csv"
expect 1 send --file "$DIR/r.csv" bulk
contains "$ERR" "r.csv:4: 'abc'"
contains "$ERR" "nothing was queued"
expect 1 send --file "$DIR/r.csv" --skip-bad bulk
contains "$OUT" "queued 3 message(s), ids 4-6"

# what an integrator does: plain INSERTs, also bad ones
sqlite3 -cmd ".timeout 5000" "$DB" "INSERT INTO outbox(recipient, text) VALUES ('', 'no number');
  INSERT INTO outbox(recipient, text) VALUES ('10086', 'a \"quoted\", comma');" || fail "sqlite3 insert"

# out: table, JSON, CSV
expect 0 out
contains "$OUT" "您好，世界"
contains "$OUT" "at 20"   # the note column shows the schedule
expect 0 out --json
contains "$OUT" '"recipient":"+8613800138000"'
contains "$OUT" '"text":"a \"quoted\", comma"'
contains "$OUT" '"ref":"order-7"'
contains "$OUT" '"status_report":1'
contains "$OUT" '"refs":null'
printf '%s' "$OUT" | python3 -c 'import json, sys; rows = json.load(sys.stdin); assert len(rows) >= 3 and all("refs" in r for r in rows)' \
  || fail "out --json is not a JSON array of row objects: $OUT"
expect 0 out --csv --from -2h --to now
contains "$OUT" 'id,recipient,text,priority'
contains "$OUT" ',delivery_status,delivered_at,refs'
contains "$OUT" '"a ""quoted"", comma"'
expect 0 out --status queued --json
expect 2 out --status done
expect 2 out --json --csv
expect 0 out --from 2000-01-01 --to 2000-01-02
contains "$ERR" "no outbox messages"

# cancel / retry: each id reported, exit 1 if any failed
expect 0 cancel 1 2
contains "$OUT" "1 cancelled"
expect 1 cancel 1 999
contains "$ERR" "1: message 1 is 'cancelled'"
contains "$ERR" "999: no outbox row with id 999"
expect 0 retry 1
contains "$OUT" "1 queued"
expect 1 retry 3
contains "$ERR" "'queued'"
expect 2 cancel abc
expect 2 cancel

# inbound rows and processed
sqlite3 -cmd ".timeout 5000" "$DB" "INSERT INTO inbox(sender, text, received_at, modem) VALUES
  ('+8613912345678', '收到，谢谢', strftime('%Y-%m-%d %H:%M:%f','now','-1 hour'), 'm1')" || fail "inbox insert"
expect 0 in
contains "$OUT" "收到，谢谢"
expect 0 in --unprocessed --json
contains "$OUT" '"sender":"+8613912345678"'
expect 0 processed 1
expect 1 processed 42
expect 0 in --unprocessed --json
[ "$OUT" = "[]" ] || fail "unprocessed after processed: $OUT"
expect 0 in --csv
contains "$OUT" "id,sender,text,received_at,stored_at,modem,smsc,parts,processed,partial,pdus"
contains "$OUT" "1,+8613912345678,收到，谢谢"
expect 0 in --csv --bom
[ "$(printf '%s' "$OUT" | head -c 3 | od -An -tx1 | tr -d ' ')" = "efbbbf" ] || fail "in --csv --bom: no byte order mark"
expect 0 in --json
printf '%s' "$OUT" | python3 -c 'import json, sys; rows = json.load(sys.stdin); assert rows[0]["text"] == "收到，谢谢" and rows[0]["processed"] == 1' \
  || fail "in --json: $OUT"

# status and stats
sqlite3 -cmd ".timeout 5000" "$DB" "UPDATE outbox SET status='sent', sent_at=strftime('%Y-%m-%d %H:%M:%f','now'), sent_by='m1' WHERE id=4;
  UPDATE outbox SET status='failed', last_error='x', claimed_by='m1' WHERE id=5;
  INSERT INTO modems(id, port, state, operator, signal_dbm) VALUES ('m1', '/dev/ttyUSB0', 'ready', 'CHINA MOBILE', -71)"
expect 0 status
contains "$OUT" "CHINA MOBILE"
contains "$OUT" "-71 dBm"
contains "$OUT" "queue:"
expect 0 status --json
contains "$OUT" '"signal_dbm":-71'
expect 0 stats
contains "$OUT" "50.0%"
expect 0 stats --by modem --json
contains "$OUT" '"modem":"m1","sent":1'
expect 0 stats --by day --from today --to today
expect 2 stats --by week

# every command has --help
for c in send in out processed cancel retry status stats; do
  "$SMSCTL" "$c" --help >"$DIR/out" 2>&1 || fail "$c --help"
  contains "$(cat "$DIR/out")" "usage: smsctl $c"
done

# the config file names the database
cat >"$DIR/smserver.xml" <<XML
<smserver>
  <database driverClassName="sqlite3" url="$DB"/>
</smserver>
XML
"$SMSCTL" --config "$DIR/smserver.xml" out --json >"$DIR/out" 2>"$DIR/err" || fail "--config: $(cat "$DIR/err")"
contains "$(cat "$DIR/out")" '"id":1'
"$SMSCTL" --config "$DIR/missing.xml" status >"$DIR/out" 2>"$DIR/err"
[ $? = 2 ] || fail "a missing config should exit 2"

if [ "$FAILS" -ne 0 ]; then
  echo "$FAILS check(s) failed" >&2
  exit 1
fi
echo "smsctl database CLI: all checks passed"
