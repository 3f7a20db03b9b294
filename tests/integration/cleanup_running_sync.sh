#!/bin/bash
# pool cleanup next to a running sync (design.md §3, Operations): with
# --grace-period 0 and a lock file and partial downloads made to look days
# old, cleanup removes neither; a second sync of the same repo is still
# refused, and the first one completes. Partial files of a sync that is not
# running are removed.
source "$(dirname "$0")/lib.sh"
require_chantal
make_repos main

port=$(start_fault_server "$FIXTURES" --trickle-rate 3000)
state=$SCRATCH/state
cfg=$SCRATCH/config.yaml
chantal_config_base "$state" >"$cfg"
cat >>"$cfg" <<CONFIG
repositories:
  - id: slow
    feed: http://127.0.0.1:$port/fault/slow/main
CONFIG
chantal --config "$cfg" init >/dev/null
temp=$state/tmp

chantal --config "$cfg" -q repo sync --repo-id slow >"$SCRATCH/first.out" 2>&1 &
first=$!
on_exit "stop_pid $first"
wait_until 120 compgen -G "$temp/sync-slow/*.part"
wait_until 10 test -e "$temp/sync-slow.lock"
touch -d '3 days ago' "$temp/sync-slow.lock" "$temp"/sync-slow/*.part
# A leftover of another repo's killed sync: stale and unlocked, so it goes.
mkdir -p "$temp/sync-gone" && echo partial >"$temp/sync-gone/x.part" && touch -d '3 days ago' "$temp/sync-gone/x.part"
assert_exit 0 chantal --config "$cfg" -q pool cleanup --grace-period 0
assert_file_exists "$temp/sync-slow.lock"
assert_file_missing "$temp/sync-gone/x.part"
out=$(chantal --config "$cfg" repo sync --repo-id slow 2>&1) && fail "a second sync of the repo was not refused: $out"
assert_contains "$out" "already running"

# Had cleanup removed its partial files, the running sync would fail here.
wait "$first" || fail "the running sync failed after pool cleanup: $(cat "$SCRATCH/first.out")"
assert_exit 0 chantal --config "$cfg" -q db verify
assert_exit 0 chantal --config "$cfg" -q repo sync --repo-id slow
log "ok: cleanup kept the running sync's lock and partial files; the second sync was refused"
