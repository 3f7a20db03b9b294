#!/bin/bash
# chantalfs's log (docs/operations.md, "Logging" and "Read mode"):
#  - the read mode is reported exactly once, once FUSE INIT has decided it,
#    after the "mounted" line: on stderr with -f, and in the -o log=FILE file;
#  - -o log=FILE works in the background (the daemon detaches; without it
#    and without syslog its lines were lost) and in the foreground: one line
#    per message, each with an ISO 8601 UTC timestamp and the daemon's pid,
#    appended to what the file already holds;
#  - -o nopassthrough is named as the reason for splice.
source "$(dirname "$0")/lib.sh"
require_tools curl
require_fuse
require_chantal
require_chantalfs

cfg=$SCRATCH/config.yaml
synced_config "$cfg" "$SCRATCH/state" main
line_re='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z chantalfs\[[0-9]+\]: '

count() { grep -c -- "$2" "$1" || true; }   # FILE TEXT: matching lines
# check_read_mode FILE: one "read mode" line, after the "mounted" line.
check_read_mode() {
  local file=$1 mounted_at mode_at
  assert_eq 1 "$(count "$file" 'read mode: ')" "read mode lines in $file:"$'\n'"$(cat "$file")"
  mounted_at=$(grep -n -m1 -- 'mounted ' "$file" | cut -d: -f1)
  mode_at=$(grep -n -m1 -- 'read mode: ' "$file" | cut -d: -f1)
  [[ -n $mounted_at ]] || fail "no 'mounted' line in $file:"$'\n'"$(cat "$file")"
  ((mode_at > mounted_at)) || fail "the read mode comes before INIT in $file:"$'\n'"$(cat "$file")"
}
# check_lines FILE: every line has the timestamp prefix.
check_lines() {
  local line
  while IFS= read -r line; do
    [[ $line =~ $line_re ]] || fail "log line without timestamp and pid: '$line' in $1"
  done <"$1"
}
read_through() { cmp "$1/repos/main/latest/repodata/repomd.xml" "$FIXTURES/main/repodata/repomd.xml"; }

# ------------------------------------------------------------ foreground, stderr
fg=$SCRATCH/fg
start_chantalfs "$cfg" "$fg"
read_through "$fg"
fusermount3 -u "$fg"
wait "$CHANTALFS_PID" || fail "chantalfs -f exited with status $?"
check_read_mode "$fg.log"
assert_eq 0 "$(count "$fg.log" 'read mode: splice + keep_cache$')" "a bare splice line without its reason"

# ------------------------------------------------------------ foreground, -o log=FILE, -o nopassthrough
fg_file=$SCRATCH/fg-file
echo "an older line" >"$SCRATCH/fg-file.chantalfs.log"
start_chantalfs "$cfg" "$fg_file" -o "log=$SCRATCH/fg-file.chantalfs.log,nopassthrough"
read_through "$fg_file"
fusermount3 -u "$fg_file"
wait "$CHANTALFS_PID" || fail "chantalfs -f -o log=FILE exited with status $?"
log=$SCRATCH/fg-file.chantalfs.log
assert_eq "an older line" "$(head -1 "$log")" "the log file is appended to"
sed -i 1d "$log"
check_lines "$log"
check_read_mode "$log"
assert_contains "$(cat "$log")" "read mode: splice + keep_cache (-o nopassthrough)"
assert_contains "$(cat "$log")" "unmounted $fg_file"
assert_eq 0 "$(count "$fg_file.log" 'chantalfs')" "stderr lines with -o log=FILE:"$'\n'"$(cat "$fg_file.log")"

# ------------------------------------------------------------ background, -o log=FILE (relative path)
bg=$SCRATCH/bg
mkdir -p "$bg"
mount_cleanup "$bg"
assert_exit 0 bash -c "cd '$SCRATCH' && '$CHANTALFS_BIN' --config '$cfg' '$bg' -o log=bg.chantalfs.log"
log=$SCRATCH/bg.chantalfs.log
wait_until 10 test -d "$bg/repos"
read_through "$bg"
pid=$(grep -o -m1 -E 'chantalfs\[[0-9]+\]: mounted' "$log" | grep -o -E '[0-9]+' || true)
[[ -n $pid ]] || fail "no 'mounted' line with a pid in $log:"$'\n'"$(cat "$log")"
on_exit "stop_pid $pid"
wait_until 10 grep -q 'read mode: ' "$log"
fusermount3 -u "$bg"
wait_until 10 bash -c "! kill -0 $pid 2>/dev/null"
check_lines "$log"
check_read_mode "$log"
assert_contains "$(cat "$log")" "unmounted $bg"
log "$(grep -o 'read mode: .*' "$log")"
