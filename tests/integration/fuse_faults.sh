#!/bin/bash
# chantalfs faults (issue 6, design.md §3):
#  - a missing pool file, a truncated one and a grown one (size differs from
#    the catalogue; checked with one fstat at open, never hashed) give EIO for
#    that file only, with a log line naming the tree path and the pool file;
#    other files keep working, the daemon keeps running, and the file is
#    readable again once the pool file is back;
#  - a locked catalogue is waited for: a CLI write transaction (WAL) delays
#    recording generated repodata until it ends, then the file is served; a
#    catalogue in rollback-journal mode locked by a writer delays lookups and
#    readdir the same way;
#  - a lock held longer than -o catalogue_wait gives EIO with a log line (no
#    hang), and the same path works once the lock is gone.
source "$(dirname "$0")/lib.sh"
require_tools sqlite3 cmp
require_fuse
require_chantal
require_chantalfs
make_repos main lib

state=$SCRATCH/state
db=$state/chantal.db
cfg=$SCRATCH/config.yaml
chantal_config_base "$state" >"$cfg"
cat >>"$cfg" <<CONFIG
repositories:
  - id: main
    feed: $(fixture_url main)
  - id: lib
    feed: $(fixture_url lib)
views:
  - name: all
    repos: [main, lib]
CONFIG
chantal --config "$cfg" init >/dev/null
assert_exit 0 chantal --config "$cfg" -q repo sync --all
assert_exit 0 chantal --config "$cfg" -q snapshot create --view all --name v1

declare -A daemon holder   # NAME -> pid
# mount_chantalfs NAME [OPTS]: mount at $SCRATCH/NAME in the foreground, log in $SCRATCH/NAME.log.
mount_chantalfs() {
  local name=$1 mnt=$SCRATCH/$1
  shift
  mkdir -p "$mnt"
  mount_cleanup "$mnt"
  "$CHANTALFS_BIN" --config "$cfg" "$mnt" -f "$@" 2>>"$SCRATCH/$name.log" &
  daemon[$name]=$!
  on_exit "stop_pid ${daemon[$name]}"
  wait_until 10 test -d "$mnt/repos/main"
}
unmount_chantalfs() {  # NAME: fusermount3 -u, the daemon ends with status 0
  fusermount3 -u "$SCRATCH/$1"
  wait "${daemon[$1]}" || fail "chantalfs $1 exited with status $?"
}
rpms_in() { find "$1" -maxdepth 1 -name '*.rpm' -printf '%f\n' | LC_ALL=C sort; }
count_lines() { grep -c -F -- "$2" "$SCRATCH/$1.log" || true; }
waits_logged() { (($(count_lines "$1" "is locked by another process") > $2)); }  # NAME COUNT_BEFORE
# hold_lock NAME MODE: a writer holds `BEGIN MODE` (IMMEDIATE: the write lock;
# EXCLUSIVE: in rollback-journal mode, readers too) until release_lock NAME.
hold_lock() {
  local name=$1 mode=$2
  {
    printf '.timeout 10000\nBEGIN %s;\nCREATE TABLE lock_probe(x);\n.shell touch %s\n' "$mode" "$SCRATCH/$name.locked"
    while [[ ! -e $SCRATCH/$name.release ]]; do sleep 0.1; done
    printf 'ROLLBACK;\n'
  } | sqlite3 -bail "$db" &
  holder[$name]=$!
  on_exit "touch '$SCRATCH/$name.release'"
  wait_until 20 test -e "$SCRATCH/$name.locked"
}
release_lock() {
  touch "$SCRATCH/$1.release"
  wait "${holder[$1]}" || fail "lock holder $1 failed"
}

# ------------------------------------------------------------ pool faults
mount_chantalfs m
mnt=$SCRATCH/m
app=chantal-demo-app-1.0-1.noarch.rpm
pool_file=$(find "$state/pool" -name "*_$app")
[[ -f $pool_file ]] || fail "no pool file for $app"
cmp "$mnt/repos/main/latest/$app" "$FIXTURES/main/$app" || fail "$app differs before the fault"

expect_eio() {  # REASON: reading $app fails with EIO, a log line names both paths, the rest works
  local reason=$1 before
  before=$(count_lines m "pool file $pool_file")
  assert_exit 1 cat "$mnt/repos/main/latest/$app"
  assert_contains "$ASSERT_ERR" "Input/output error" "$reason: cat of $app"
  (($(count_lines m "pool file $pool_file") > before)) || fail "$reason: no log line names $pool_file"
  assert_contains "$(grep -F "pool file $pool_file" "$SCRATCH/m.log" | tail -1)" "repos/main/latest/$app"
  # Only that file: its neighbours, the snapshot tree and the repodata are fine.
  cmp "$mnt/repos/main/latest/chantal-epoch-1.0-1.noarch.rpm" "$FIXTURES/main/chantal-epoch-1.0-1.noarch.rpm" ||
    fail "$reason: a neighbour of the broken file is broken too"
  cmp "$mnt/repos/main/latest/repodata/repomd.xml" "$FIXTURES/main/repodata/repomd.xml" ||
    fail "$reason: repomd.xml broken too"
  [[ -n $(ls "$mnt/repos/lib/latest") ]] || fail "$reason: another repo's listing broken"
  kill -0 "${daemon[m]}" 2>/dev/null || fail "$reason: chantalfs died"
}
mv "$pool_file" "$SCRATCH/saved.rpm"                 # missing
expect_eio "missing pool file"
assert_contains "$(tail -1 <(grep -F "pool file $pool_file" "$SCRATCH/m.log"))" "No such file or directory"
head -c 100 "$SCRATCH/saved.rpm" >"$pool_file"       # truncated
expect_eio "truncated pool file"
assert_contains "$(tail -1 <(grep -F "pool file $pool_file" "$SCRATCH/m.log"))" "has 100 bytes, the catalogue says"
cat "$SCRATCH/saved.rpm" "$SCRATCH/saved.rpm" >"$pool_file"   # grown
expect_eio "grown pool file"
mv "$SCRATCH/saved.rpm" "$pool_file"                 # repaired: readable again, no remount
cmp "$mnt/repos/main/latest/$app" "$FIXTURES/main/$app" || fail "$app not readable after the pool file came back"
unmount_chantalfs m

# ------------------------------------------------------------ locked catalogue (WAL, as chantal makes it)
assert_eq wal "$(sqlite3 "$db" 'PRAGMA journal_mode')"
# The sync generated views/all/latest's repodata; forget it (as when that
# failed), so that the first read of it is a write again.
sqlite3 "$db" "DELETE FROM generated_metadata"
mount_chantalfs patient            # default catalogue_wait (30 s)
mount_chantalfs short -o catalogue_wait=1
hold_lock wal IMMEDIATE
# Readers are not blocked by a writer in WAL mode: lookups and readdir answer at once.
assert_eq "$(rpms_in "$FIXTURES/lib")" "$(rpms_in "$SCRATCH/short/repos/lib/latest")"
# Recording generated repodata is a write: past the limit it is EIO with a log line.
assert_exit 1 cat "$SCRATCH/short/views/all/snapshots/v1/repodata/repomd.xml"
assert_contains "$ASSERT_ERR" "Input/output error"
assert_contains "$(cat "$SCRATCH/short.log")" "catalogue $db is locked by another process; waiting up to 1 s"
assert_match "$(cat "$SCRATCH/short.log")" "(lookup|readdir|readdirplus|open): .*locked.*\(EIO\)"
kill -0 "${daemon[short]}" 2>/dev/null || fail "chantalfs (short) died"
# Within the limit it waits for the writer and then serves the file.
before=$(count_lines patient "is locked by another process")
cat "$SCRATCH/patient/views/all/latest/repodata/repomd.xml" >"$SCRATCH/latest-repomd.xml" 2>"$SCRATCH/cat.err" &
reader=$!
on_exit "kill $reader 2>/dev/null || true"
wait_until 20 waits_logged patient "$before"
release_lock wal
wait "$reader" || fail "reading generated repomd.xml after the lock ended failed: $(cat "$SCRATCH/cat.err")"
assert_contains "$(cat "$SCRATCH/latest-repomd.xml")" "<repomd"
# The short mount's failure was not remembered.
assert_contains "$(cat "$SCRATCH/short/views/all/snapshots/v1/repodata/repomd.xml")" "<repomd"
unmount_chantalfs patient
unmount_chantalfs short

# ------------------------------------------------------------ locked catalogue (rollback journal: readers wait too)
assert_eq delete "$(sqlite3 "$db" 'PRAGMA journal_mode=DELETE')"
mount_chantalfs patient
mount_chantalfs short -o catalogue_wait=1
hold_lock rollback EXCLUSIVE
assert_exit 2 ls "$SCRATCH/short/repos/lib/snapshots/"
assert_contains "$ASSERT_ERR" "Input/output error"
assert_match "$(cat "$SCRATCH/short.log")" "(lookup|readdir|readdirplus|opendir): .*locked.*\(EIO\)"
before=$(count_lines patient "is locked by another process")
LC_ALL=C ls "$SCRATCH/patient/repos/lib/latest" >"$SCRATCH/ls.out" 2>"$SCRATCH/ls.err" &
reader=$!
on_exit "kill $reader 2>/dev/null || true"
wait_until 20 waits_logged patient "$before"
release_lock rollback
wait "$reader" || fail "ls after the lock ended failed: $(cat "$SCRATCH/ls.err")"
assert_eq "$(rpms_in "$FIXTURES/lib")" "$(grep '\.rpm$' "$SCRATCH/ls.out")" "listing after the lock ended"
assert_eq all-v1 "$(ls "$SCRATCH/short/repos/lib/snapshots/")" "short mount after the lock ended"
for name in patient short; do
  kill -0 "${daemon[$name]}" 2>/dev/null || fail "chantalfs $name died"
  unmount_chantalfs $name
done
