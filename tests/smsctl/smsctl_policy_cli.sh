#!/bin/sh
# Runs the real smsctl's sending-policy commands against a temporary database
# and config (timezone Asia/Shanghai, a policy): the number lists (add,
# remove, list, import of TXT, CSV UTF-8 with BOM, GB18030 CSV, hostile
# files, 100,000 numbers), send with kinds and batches, pending/approve/reject
# with four eyes, the audit log, policy check, why, and local time.
# Usage: smsctl_policy_cli.sh PATH/TO/smsctl
set -u
SMSCTL=$1
DIR=$(mktemp -d "${TMPDIR:-/tmp}/smsctl-policy-XXXXXX")
trap 'rm -rf "$DIR"' EXIT
DB="$DIR/sms.db"
CFG="$DIR/smserver.xml"
FAILS=0
unset SUDO_USER TZ

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
# expect STATUS COMMAND...: runs smsctl with the config, stdout in $OUT, stderr in $ERR
expect() { expect_as "" "$@"; }
# expect_as USER STATUS COMMAND...: the same with SUDO_USER=USER (trusted as root only)
expect_as() {
  user=$1; shift
  want=$1; shift
  if [ -n "$user" ]; then
    SUDO_USER=$user "$SMSCTL" --config "$CFG" "$@" >"$DIR/out" 2>"$DIR/err"
  else
    "$SMSCTL" --config "$CFG" "$@" >"$DIR/out" 2>"$DIR/err"
  fi
  got=$?
  OUT=$(cat "$DIR/out"); ERR=$(cat "$DIR/err")
  [ "$got" = "$want" ] || fail "smsctl $* exited $got, expected $want (stdout: $OUT) (stderr: $ERR)"
}
contains() { case "$1" in *"$2"*) ;; *) fail "expected '$2' in: $1" ;; esac; }
lacks() { case "$1" in *"$2"*) fail "did not expect '$2' in: $1" ;; esac; }
sql() { sqlite3 -cmd ".timeout 5000" "$DB" "$1"; }
json_check() { printf '%s' "$1" | python3 -c "import json, sys; d = json.load(sys.stdin); assert $2, d" || fail "JSON check '$2' on: $1"; }

printf '发票\n代开\n' >"$DIR/banned.txt"
cat >"$CFG" <<XML
<smserver timezone="Asia/Shanghai">
  <database url="$DB"/>
  <policy defaultKind="notice">
    <blacklist kinds="notice,bulk"/>
    <quiet from="22:00" to="08:00" kinds="bulk"/>
    <signature text="【某某公司】" position="end" kinds="notice,bulk"/>
    <bannedWords file="banned.txt" kinds="notice,bulk"/>
    <approval kinds="bulk" minRecipients="2" fourEyes="true"/>
  </policy>
</smserver>
XML

# ---- lists: add, duplicates, refusals, list, remove
expect 1 whitelist add 13955112345 "+86 139-5511-2346" 123 --note "vip"
contains "$OUT" "added 2, duplicates 0, refused 1"
contains "$ERR" "'123'"
expect 0 whitelist add "008613955112345"
contains "$OUT" "added 0, duplicates 1"
expect 0 whitelist list
contains "$OUT" "+8613955112345"
contains "$OUT" "+8613955112346"
contains "$OUT" "vip"
expect 0 whitelist list --json
json_check "$OUT" 'len(d) == 2 and d[0]["number"] == "+8613955112345" and d[0]["source"] == "smsctl"'
expect 0 whitelist list --csv
contains "$OUT" "number,list,added_at,added_by,source,note"
expect 0 whitelist remove 13955112346
contains "$OUT" "removed 1"
expect 1 whitelist remove 13955112346
contains "$ERR" "is not on the whitelist"
expect 2 whitelist frobnicate
expect 2 whitelist add

# ---- import: TXT with a bad line, a duplicate and a blank line
printf '13955112350\n13955112351\n\nabc\n13955112350\n+86 139 5511 2345\n' >"$DIR/list.txt"
expect 1 whitelist import "$DIR/list.txt"
contains "$OUT" "added 2, duplicates 2, rejected 1"
contains "$ERR" "list.txt:4:"
contains "$ERR" "'abc'"
# CSV, UTF-8 with BOM, quoted fields, the column by its header
printf '\357\273\277姓名,手机号,备注\r\n张三,13955112360,"a, b"\r\n"李,四","139 5511 2361",\r\n王五,12,x\r\n' >"$DIR/bom.csv"
expect 1 blacklist import "$DIR/bom.csv" --note "from hr"
contains "$OUT" "UTF-8 with BOM CSV, column '手机号'"
contains "$OUT" "added 2, duplicates 0, rejected 1"
contains "$ERR" "bom.csv:4:"
expect 0 blacklist list --json
json_check "$OUT" 'sorted(e["number"] for e in d) == ["+8613955112360", "+8613955112361"] and d[0]["note"] == "from hr"'
# GB18030 (Excel on Chinese Windows), a bad line 3
printf '姓名,电话\n赵六,13955112370\n钱七,不是号码\n孙八,13955112371\n' | iconv -f UTF-8 -t GB18030 >"$DIR/gb.csv"
expect 1 optout import "$DIR/gb.csv"
contains "$OUT" "GB18030 CSV, column '电话'"
contains "$OUT" "added 2, duplicates 0, rejected 1"
contains "$ERR" "gb.csv:3: '不是号码'"
# --column by name
printf 'phone,backup\n13955112380,13955112381\n' >"$DIR/cols.csv"
expect 0 whitelist import "$DIR/cols.csv" --column backup
contains "$OUT" "column 'backup'"
expect 0 whitelist list --json
contains "$OUT" "+8613955112381"
lacks "$OUT" "+8613955112380"
expect 1 whitelist import "$DIR/cols.csv" --column fax
contains "$ERR" "no column named 'fax'"
# hostile files: clear errors, nothing crashes, nothing added
printf '\200\377\376\000garbage' >"$DIR/binary.txt"
expect 1 whitelist import "$DIR/binary.txt"
contains "$ERR" "NUL byte"
printf '13955112390\n\200\377\n' >"$DIR/latin.txt"
expect 1 whitelist import "$DIR/latin.txt"
contains "$ERR" "neither UTF-8 nor GB18030"
head -c 10485760 /dev/zero | tr '\0' '1' >"$DIR/long.txt"
expect 1 whitelist import "$DIR/long.txt"
contains "$ERR" "long.txt:1: the line is 10485760 bytes long"
contains "$OUT" "added 0"
expect 1 whitelist import "$DIR/missing.txt"
contains "$ERR" "cannot read"
expect 1 whitelist import "$DIR"
contains "$ERR" "is a directory"
# 100,000 numbers in one transaction, well under 5 s
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "139%08d\n", 56000000 + i; }' >"$DIR/big.txt"
start=$(date +%s%N)
expect 0 whitelist import "$DIR/big.txt"
end=$(date +%s%N)
contains "$OUT" "added 100000, duplicates 0, rejected 0"
ms=$(( (end - start) / 1000000 ))
echo "import of 100,000 numbers: $ms ms"
[ "$ms" -lt 5000 ] || fail "import of 100,000 numbers took $ms ms"

# ---- send: kinds, batches, submitted_by, audit
expect 2 send --to 13955112345 --kind promo hi
contains "$ERR" "not notice or bulk"
expect_as alice 0 send --to 13955112345,13955112346,13955112347 --kind bulk --note "autumn sale" "秋季促销"
contains "$OUT" "queued 3 message(s), ids 1-3, batch 1"
[ "$(sql "SELECT group_concat(batch || ':' || kind, ' ') FROM outbox")" = "1:bulk 1:bulk 1:bulk" ] || fail "batch rows: $(sql 'SELECT batch, kind FROM outbox')"
if [ "$(id -u)" = 0 ]; then
  [ "$(sql "SELECT DISTINCT submitted_by FROM outbox WHERE batch = 1")" = "alice" ] || fail "submitted_by: $(sql 'SELECT submitted_by FROM outbox')"
fi
[ "$(sql "SELECT note FROM batches WHERE id = 1")" = "autumn sale" ] || fail "batch note"
expect 0 send --to 13955112345 "single"
[ "$OUT" = "4" ] || fail "single send prints the id: $OUT"
[ "$(sql "SELECT coalesce(batch, 'none') || ',' || coalesce(kind, 'null') FROM outbox WHERE id = 4")" = "none,null" ] || fail "single send row"

# ---- approval: the claim gate would hold the bulk batch; here SQL does it
sql "UPDATE outbox SET status = 'pending_approval', reason = 'approval: a bulk batch of 3 needs approval' WHERE batch = 1"
expect 0 pending
contains "$OUT" "秋季促销"
contains "$OUT" "1-3"
expect 0 pending --json
json_check "$OUT" 'len(d) == 1 and d[0]["batch"] == 1 and d[0]["rows"] == 3 and d[0]["kind"] == "bulk" and d[0]["ids"] == [1, 2, 3]'
expect 2 reject 2
contains "$ERR" "needs --note"
expect 2 approve
expect 2 approve 1 --batch 1
if [ "$(id -u)" = 0 ]; then
  expect_as alice 1 approve --batch 1
  contains "$ERR" "four-eyes"
  contains "$OUT" "batch 1: 0 approved"
  expect_as bob 0 approve 1 --note "ok"
  contains "$OUT" "1 approved"
  expect_as bob 0 reject 2 --note "not now"
  contains "$OUT" "2 rejected"
  [ "$(sql "SELECT status || '|' || approved_by FROM outbox WHERE id = 1")" = "queued|bob" ] || fail "approved row"
else
  echo "not root: SUDO_USER is not trusted, the four-eyes checks are skipped"
  expect 0 reject 2 --note "not now"
fi
expect 1 approve 2 4 999
contains "$ERR" "2: message 2 is 'rejected'"
contains "$ERR" "999: no outbox row"
expect 0 pending --json
json_check "$OUT" 'len(d) == 1 and d[0]["ids"] == [3]'
expect 1 approve --batch 42
contains "$ERR" "batch 42 has no messages waiting"

# ---- cancel, retry, processed are audited
expect 0 cancel 4
expect 0 retry 4

# ---- the audit log
expect 0 audit
contains "$OUT" "send"
contains "$OUT" "batch:1"
contains "$OUT" "whitelist add"
contains "$OUT" "blacklist add"
contains "$OUT" "import $DIR/bom.csv"
contains "$OUT" "reject"
contains "$OUT" "cancel"
contains "$OUT" "retry"
expect 0 audit --action cancel --json
json_check "$OUT" 'len(d) == 1 and d[0]["object"] == "outbox:4"'
if [ "$(id -u)" = 0 ]; then
  expect 0 audit --actor bob --json
  json_check "$OUT" 'len(d) == 2 and all(e["actor"] == "bob" for e in d) and [e["action"] for e in d] == ["approve", "reject"]'
fi
expect 0 audit --csv --action reject
contains "$OUT" "id,at,actor,action,object,details"
contains "$OUT" "not now"
expect 0 audit --from 2000-01-01 --to 2000-01-02
contains "$ERR" "no audit entries"

# ---- why
expect 0 why 2
contains "$OUT" "status:     rejected"
contains "$OUT" "not now"
contains "$OUT" "batch:      1"
contains "$OUT" "history:"
contains "$OUT" "send"
contains "$OUT" "reject"
contains "$OUT" "kind:       bulk"
expect 1 why 999
expect 2 why abc

# ---- policy check (no database needed for the rules; lists from it)
expect 0 policy check --to 13955112345 --kind bulk --at "2027-03-01 22:00" "周末特惠"
contains "$OUT" "defer until 2027-03-02 08:00:00"
contains "$OUT" "because"
expect 0 policy check --to 13955112345 --kind bulk --at "2027-03-01 21:59:59" "周末特惠"
contains "$OUT" "send"
lacks "$OUT" "defer"
expect 0 policy check --to 13955112345 --kind bulk --at "2027-03-02 07:59:59" --json "周末特惠"
json_check "$OUT" 'd["action"] == "defer" and d["rule"] == "quiet" and d["until_local"] == "2027-03-02 08:00:00" and d["until"] == "2027-03-02 00:00:00"'
expect 0 policy check --to 13955112360 "您好"
contains "$OUT" "block (because"
contains "$OUT" "+8613955112360"
expect 0 policy check --to 13955112345 "可以代开发票"
contains "$OUT" "block (because"
contains "$OUT" "发票"
expect 0 policy check --to "139 5511 2345" --at "2027-03-01 10:00" "您好"
contains "$OUT" "send"
contains "$OUT" "text:   您好【某某公司】  (signature added)"
contains "$OUT" "1 part(s)"
contains "$OUT" "number: +8613955112345 (mobile)"
expect 0 policy check --to 13955112345 --json "您好"
json_check "$OUT" 'd["action"] == "send" and d["text"] == "您好【某某公司】" and d["parts"] == 1 and d["number"] == "+8613955112345"'
expect 2 policy check --to 13955112345
expect 2 policy check --to 13955112345 --kind spam x
expect 2 policy frob
# without a database: empty facts
sed "s|$DB|$DIR/none.db|" "$CFG" >"$DIR/nodb.xml"
"$SMSCTL" --config "$DIR/nodb.xml" policy check --to 13955112360 "您好" >"$DIR/out" 2>&1 || fail "policy check without a database"
contains "$(cat "$DIR/out")" "send"
[ ! -e "$DIR/none.db" ] || fail "policy check created the database"
# fast: a one-shot under 10 ms of its own (here: 20 runs well under 2 s with process start)
start=$(date +%s%N)
i=0
while [ $i -lt 20 ]; do
  "$SMSCTL" --config "$CFG" policy check --to 13955112345 --kind bulk "hello" >/dev/null 2>&1
  i=$((i + 1))
done
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
echo "20 x policy check: $ms ms"
[ "$ms" -lt 2000 ] || fail "20 policy checks took $ms ms"

# ---- local time: Asia/Shanghai is UTC+8; --utc shows UTC with Z
sql "INSERT INTO outbox(recipient, text, status, created_at, sent_at, sent_by) VALUES
       ('+8613955112345', 'late evening UTC', 'sent', '2026-11-23 16:30:00.000', '2026-11-23 16:30:00.000', 'm1');
     INSERT INTO audit(at, actor, action, object, details) VALUES ('2026-11-23 16:30:00.000', 'tester', 'test', 'x', '');"
expect 0 out --from 2026-11-24 --to 2026-11-24
contains "$OUT" "2026-11-24 00:30:00"
contains "$OUT" "late evening UTC"
expect 0 out --from 2026-11-23 --to 2026-11-23
lacks "$OUT" "late evening UTC"
expect 0 out --utc --from 2026-11-23 --to 2026-11-23
contains "$OUT" "2026-11-23 16:30:00Z"
contains "$OUT" "created (UTC)"
"$SMSCTL" --config "$CFG" --utc out --from 2026-11-23 --to 2026-11-23 >"$DIR/out" 2>&1
contains "$(cat "$DIR/out")" "2026-11-23 16:30:00Z"
expect 0 out --json --from 2026-11-24 --to 2026-11-24
contains "$OUT" '"created_at":"2026-11-23 16:30:00.000"'
expect 0 stats --by day --from 2026-11-20 --to 2026-11-30 --json
json_check "$OUT" 'len(d) == 1 and d[0]["day"] == "2026-11-24" and d[0]["sent"] == 1'
expect 0 stats --by day --from 2026-11-20 --to 2026-11-30 --json --utc
json_check "$OUT" 'len(d) == 1 and d[0]["day"] == "2026-11-23"'
expect 0 audit --actor tester --from 2026-11-24 --to 2026-11-24
contains "$OUT" "2026-11-24 00:30:00"
expect 0 audit --actor tester --from 2026-11-23 --to 2026-11-24 --utc
contains "$OUT" "2026-11-23 16:30:00Z"
expect 0 why 5
contains "$OUT" "2026-11-24 00:30:00"

# every new command has --help
for c in whitelist blacklist optout pending approve reject audit why policy; do
  "$SMSCTL" "$c" --help >"$DIR/out" 2>&1 || fail "$c --help"
  contains "$(cat "$DIR/out")" "usage: smsctl $c"
done
"$SMSCTL" --help >"$DIR/out" 2>&1
contains "$(cat "$DIR/out")" "policy check"

if [ "$FAILS" -ne 0 ]; then
  echo "$FAILS check(s) failed" >&2
  exit 1
fi
echo "smsctl policy CLI: all checks passed"
