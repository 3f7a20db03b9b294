#!/bin/bash
# The catalogue's file system (a small tmpfs) fills up before and during a
# sync: the sync fails with one clear error naming that file system, `repo
# history` shows it failed (never left 'running'), `pool cleanup` does not
# wait for it, latest keeps its previous state, and once there is space again
# the next sync succeeds without relabelling anything "interrupted". A sync
# that is killed leaves a 'running' row that cleanup sees is not running.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_root
require_tools sqlite3 python3 mount umount df
make_repos main main-v2
port=$(start_fault_server "$FIXTURES" --trickle-rate 1000)

catdir=$SCRATCH/catalogue  # the catalogue alone on a small file system
mkdir -p "$catdir"
mount -t tmpfs -o size=8m,mode=0755 chantal-full-disk "$catdir"
on_exit "umount -l '$catdir' 2>/dev/null || true"
db=$catdir/chantal.db
state=$SCRATCH/state
config=$SCRATCH/config.yaml
write_config() {  # write_config FEED_PATH
  cat >"$config" <<EOF
database:
  url: sqlite:///$db
storage:
  base_path: $state
  pool_path: $state/pool
  published_path: $state/published
  temp_path: $state/tmp
download:
  parallel: 4
  timeout: 10
  retry_attempts: 1
repositories:
  - id: up
    feed: http://127.0.0.1:$port/$1
EOF
}
q() { sqlite3 -readonly "$db" "$1"; }  # read-only: never the last writer, never deletes -shm
names() { q "SELECT group_concat(path, ' ') FROM (SELECT path FROM repository_contents ORDER BY path)"; }
running_rows() { q "SELECT count(*) FROM sync_history WHERE status = 'running'"; }
fill() {  # fill the catalogue's file system to the last byte
  cat /dev/zero >"$catdir/filler.$1" 2>/dev/null || true
  assert_eq 0 "$(df --output=avail -B1 "$catdir" | tail -1 | tr -d ' ')" "the file system is not full"
}
no_space="catalogue $db: no space left on the file system mounted at $catdir"
# One "error:" line, the expected one, and no SQL anywhere in the output.
expect_one_clear_error() {  # expect_one_clear_error STDERR EXPECTED_LINE_PREFIX
  local lines
  lines=$(grep '^error:' <<<"$1" || true)
  [[ $(wc -l <<<"$lines") == 1 ]] || fail "expected one error line, got:"$'\n'"$1"
  assert_contains "$lines" "error: $2"
  local word
  for word in UPDATE INSERT SELECT COMMIT sync_history 'disk is full' "' failed"; do
    grep -v '^detail:' <<<"$1" | grep -qF "$word" && fail "raw SQLite text ($word) in the output:"$'\n'"$1"
  done
  return 0
}
newest_history() {  # status and message of the newest attempt
  chantal --config "$config" --format json repo history --repo-id up |
    python3 -c 'import json, sys; h = json.load(sys.stdin)[0]; print(h["status"] + " " + h["message"])'
}
RUNNING_SYNC=
dry_run_cleanup() {  # pool cleanup --dry-run; RUNNING_SYNC: the running sync it reports as JSON ("null": none)
  assert_exit 0 chantal --config "$config" --format json pool cleanup --dry-run
  RUNNING_SYNC=$(python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["running_sync"]))' <<<"$ASSERT_OUT")
  assert_exit 0 chantal --config "$config" pool cleanup --dry-run  # the table output: warnings and notes on stderr
}
sync_is_running() { [[ $(running_rows) == 1 ]]; }

write_config main
chantal --config "$config" init >/dev/null
chantal --config "$config" -q repo sync --repo-id up >/dev/null
good=$(names)
[[ $good == *chantal-caret* ]] || fail "initial sync incomplete: $good"
assert_file_exists "$db-reserve" "$db-shm"
history_before=$(q "SELECT count(*) FROM sync_history")

log "full before the sync"
write_config main-v2
fill 1
assert_exit 1 chantal --config "$config" -v repo sync --repo-id up
expect_one_clear_error "$ASSERT_ERR" "$no_space"
assert_match "$ASSERT_ERR" "detail: .*SQLite result code 13"  # -v keeps SQLite's words
assert_match "$(newest_history)" "^failed $no_space\$"
assert_eq 0 "$(running_rows)"
assert_eq "$good" "$(names)" "latest changed by a failed sync"
dry_run_cleanup
assert_eq null "$RUNNING_SYNC"
assert_not_contains "$ASSERT_ERR" "running"
assert_file_missing "$db-reserve"  # spent on the failure record; no room to make it again

log "full, and no room for the reserve: the sync fails before it writes"
fill 1b  # the failed sync's emptied -wal gave some space back
attempts=$(q "SELECT count(*) FROM sync_history")
assert_exit 1 chantal --config "$config" repo sync --repo-id up
expect_one_clear_error "$ASSERT_ERR" "$no_space (1024 KiB are needed for $db-reserve)"
assert_file_missing "$db-reserve"
assert_eq "$attempts" "$(q "SELECT count(*) FROM sync_history")"
assert_eq 0 "$(running_rows)"

log "full during the sync"
rm -f "$catdir"/filler.*
write_config fault/slow/main-v2  # trickled: the sync stays on the network for seconds
"$CHANTAL_BIN" --config "$config" repo sync --repo-id up >"$SCRATCH/during.out" 2>"$SCRATCH/during.err" &
sync_pid=$!
on_exit "stop_pid $sync_pid"
wait_until 30 sync_is_running
assert_file_exists "$db-reserve"  # made again by the sync, now that there was room
# While it runs, cleanup sees it (its lock is held) and keeps its files.
dry_run_cleanup
assert_contains "$RUNNING_SYNC" '"repo_id": "up"'
assert_contains "$ASSERT_ERR" "a sync of up is running since"
fill 2
rc=0
wait "$sync_pid" || rc=$?
assert_eq 1 "$rc" "exit status of the sync that filled up"$'\n'"$(cat "$SCRATCH/during.err")"
expect_one_clear_error "$(cat "$SCRATCH/during.err")" "$no_space"
assert_file_missing "$db-reserve"  # spent on the failure record
assert_match "$(newest_history)" "^failed $no_space\$"
assert_eq 0 "$(running_rows)"
dry_run_cleanup
assert_eq null "$RUNNING_SYNC"
assert_not_contains "$ASSERT_ERR" "running"
assert_eq "$good" "$(names)" "latest changed by a failed sync"
assert_exit 0 chantal --config "$config" repo show --repo-id up
assert_match "$ASSERT_OUT" "packages: +9 "

log "space again: the next sync succeeds and relabels nothing"
rm -f "$catdir"/filler.*
write_config main-v2
assert_exit 0 chantal --config "$config" repo sync --repo-id up
assert_contains "$ASSERT_OUT" "up: 1 upgraded, 1 added, 1 removed, 7 unchanged"
assert_file_exists "$db-reserve"
assert_exit 0 chantal --config "$config" repo history --repo-id up
assert_not_contains "$ASSERT_OUT" "interrupted"
assert_eq "success failed failed success" \
  "$(q "SELECT group_concat(status, ' ') FROM (SELECT status FROM sync_history ORDER BY id)")"
assert_eq $((history_before + 3)) "$(q "SELECT count(*) FROM sync_history")"
assert_contains "$(names)" "chantal-extra-1.0-1.noarch.rpm"

log "a killed sync: its row stays 'running', but cleanup sees it is not"
write_config fault/slow/main
"$CHANTAL_BIN" --config "$config" -q repo sync --repo-id up >/dev/null 2>&1 &
sync_pid=$!
on_exit "stop_pid $sync_pid"
wait_until 30 sync_is_running
kill -9 "$sync_pid"
wait "$sync_pid" 2>/dev/null || true
assert_eq 1 "$(running_rows)"
dry_run_cleanup
assert_eq null "$RUNNING_SYNC"
assert_not_contains "$ASSERT_ERR" "is running since"
assert_contains "$ASSERT_ERR" "is not running (no process holds its lock); ignored"
log "ok"
