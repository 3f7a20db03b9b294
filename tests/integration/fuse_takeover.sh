#!/bin/bash
# chantalfs after a crash (docs/operations.md, "After a crash"): kill -9 of
# the daemon leaves a dead mount ("Transport endpoint is not connected"; nginx
# answers 500). A new chantalfs on the same mount point recognises a dead
# chantalfs mount, detaches it lazily, mounts, logs one line saying so and
# serves: nginx, started in front of the first mount and never restarted,
# answers 200 again. A client fetches a package through nginx all along; the
# number of failed requests (the outage) is printed, not asserted (timings
# depend on the machine).
source "$(dirname "$0")/lib.sh"
require_root
require_tools curl nginx
require_fuse
require_chantal
require_chantalfs

cfg=$SCRATCH/config.yaml
synced_config "$cfg" "$SCRATCH/state" main
package=chantal-demo-app-1.0-1.noarch.rpm
mnt=$SCRATCH/mnt

start_chantalfs "$cfg" "$mnt" -o allow_other
first_pid=$CHANTALFS_PID
cmp "$mnt/repos/main/latest/$package" "$FIXTURES/main/$package" || fail "$package differs through the mount"
start_nginx "$mnt" >/dev/null
url=http://127.0.0.1:$NGINX_PORT/repos/main/latest/$package
status() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url" || true; }
assert_eq 200 "$(status)" "nginx in front of the first mount"

# The client: one request after another until told to stop; one status per line.
codes=$SCRATCH/client.codes
stop_client=$SCRATCH/client.stop
(
  while [[ ! -e $stop_client ]]; do
    printf '%s\n' "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url" || true)" >>"$codes"
  done
) &
client_pid=$!
on_exit "touch '$stop_client'; stop_pid $client_pid"
wait_until 30 grep -q '^200$' "$codes"

# ------------------------------------------------------------ the crash
kill -KILL "$first_pid"
wait "$first_pid" 2>/dev/null || true
dead_mount() { ! stat "$mnt" 2>/dev/null && [[ $(stat "$mnt" 2>&1) == *"not connected"* ]]; }
wait_until 10 dead_mount
assert_eq 1 "$(mounts_at "$mnt")" "the dead mount is still listed"
wait_until 30 grep -q -v '^200$' "$codes"   # the client sees the outage
crash_status=$(grep -v -m1 '^200$' "$codes")
log "nginx answered $crash_status while the mount was dead"

# ------------------------------------------------------------ the takeover
rm -f "$mnt.log"
# start_chantalfs returns at once: the dead mount still answers stat from the
# kernel's caches. Opening a file needs a live daemon, and INIT is logged.
start_chantalfs "$cfg" "$mnt" -o allow_other
second_pid=$CHANTALFS_PID
wait_until 30 grep -q 'read mode: ' "$mnt.log"
kill -0 "$second_pid" || fail "the new chantalfs exited:"$'\n'"$(cat "$mnt.log")"
assert_eq 1 "$(mounts_at "$mnt")" "mounts at $mnt after the takeover (the dead one is detached)"
cmp "$mnt/repos/main/latest/$package" "$FIXTURES/main/$package" || fail "$package differs through the new mount"
assert_eq 1 "$(grep -c 'took over' "$mnt.log" || true)" "takeover lines in the log:"$'\n'"$(cat "$mnt.log")"
assert_contains "$(grep 'took over' "$mnt.log")" "$mnt"
wait_until 60 bash -c "tail -n 1 '$codes' | grep -q '^200$'"
assert_eq 200 "$(status)" "nginx in front of the new mount"

touch "$stop_client"
wait "$client_pid" || true
total=$(wc -l <"$codes")
failed=$(grep -c -v '^200$' "$codes" || true)
log "outage: $failed of $total client requests failed ($(grep -v '^200$' "$codes" | sort | uniq -c | tr -s ' \n' ' '))"

# A live chantalfs is still refused, and the takeover left nothing behind.
assert_exit 1 timeout 20 "$CHANTALFS_BIN" --config "$cfg" "$mnt" -f
assert_contains "$ASSERT_ERR" "fuse.chantalfs"
kill -0 "$second_pid" || fail "the new chantalfs died"
fusermount3 -u "$mnt"
wait "$second_pid" || fail "the new chantalfs exited with status $?"
assert_eq 0 "$(mounts_at "$mnt")" "mounts at $mnt after fusermount3 -u"
