#!/bin/bash
# A non-root chantalfs takes over its own dead mount through fusermount3 -u -z
# (it may not umount2 itself): user `nobody` mounts, the daemon is killed
# with SIGKILL, a new chantalfs of the same user mounts there, logs the
# takeover and serves. Runs in a private mount namespace (unshare -m) where a
# /dev/fuse node that nobody may open is bound over /dev/fuse, so the host's
# /dev/fuse and other tests are untouched.
source "$(dirname "$0")/lib.sh"
require_root
require_tools unshare setpriv mount mknod fusermount3 cmp
require_fuse
require_chantal
require_chantalfs
[[ -u $(command -v fusermount3) ]] || fail "fusermount3 is not setuid root: non-root mounts cannot work here"

state=$SCRATCH/state
cfg=$SCRATCH/config.yaml
synced_config_for_nobody "$cfg" "$state" main
mnt=$SCRATCH/mnt
mkdir -p "$mnt" "$SCRATCH/dev" "$SCRATCH/run"
chown nobody "$mnt" "$SCRATCH/run"
package=repos/main/latest/chantal-demo-app-1.0-1.noarch.rpm
cp "$FIXTURES/main/${package##*/}" "$SCRATCH/expected.rpm"

# The scenario, as nobody. Daemon pids go to run/*.pid for the cleanup below.
cat >"$SCRATCH/scenario.sh" <<'SCENARIO'
set -u
bin=$1 cfg=$2 mnt=$3 run=$4 package=$5 expected=$6
until_ok() { local i; for ((i = 0; i < 100; i++)); do "$@" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
"$bin" --config "$cfg" "$mnt" -f 2>>"$run/first.log" &
echo $! >"$run/first.pid"
until_ok cmp -s "$mnt/$package" "$expected" || { echo "first mount does not serve"; exit 1; }
kill -KILL "$(cat "$run/first.pid")"
until_ok bash -c "stat '$mnt' 2>&1 | grep -q 'not connected'" || { echo "no dead mount after kill -9"; exit 1; }
"$bin" --config "$cfg" "$mnt" -f 2>>"$run/second.log" &
echo $! >"$run/second.pid"
until_ok grep -q 'read mode: ' "$run/second.log" || { echo "the second chantalfs did not mount:"; cat "$run/second.log"; exit 1; }
until_ok cmp -s "$mnt/$package" "$expected" || { echo "the second mount does not serve"; exit 1; }
grep -c -F " $mnt " /proc/self/mounts >"$run/mounts"
fusermount3 -u "$mnt" || { echo "fusermount3 -u failed"; exit 1; }
wait "$(cat "$run/second.pid")" || { echo "the second chantalfs exited with status $?"; exit 1; }
echo done
SCENARIO

on_exit "for p in '$SCRATCH'/run/*.pid; do [[ -f \$p ]] && stop_pid \$(cat \$p); done"
# shellcheck disable=SC2016  # expanded by the inner bash
assert_exit 0 timeout 120 unshare -m --propagation private bash -c '
  set -e
  dev=$1; shift
  mount -t tmpfs -o mode=755 chantal-test-dev "$dev"
  mknod -m 0666 "$dev/fuse" c 10 229
  mount --bind "$dev/fuse" /dev/fuse
  exec setpriv --reuid=65534 --regid=65534 --clear-groups bash "$@"' \
  bash "$SCRATCH/dev" "$SCRATCH/scenario.sh" "$CHANTALFS_BIN" "$cfg" "$mnt" "$SCRATCH/run" "$package" "$SCRATCH/expected.rpm"
assert_contains "$ASSERT_OUT" "done"
assert_eq 1 "$(cat "$SCRATCH/run/mounts")" "mounts at $mnt after the takeover"
assert_eq 1 "$(grep -c 'took over' "$SCRATCH/run/second.log" || true)" "takeover lines:"$'\n'"$(cat "$SCRATCH/run/second.log")"
assert_contains "$(cat "$SCRATCH/run/second.log")" "unmounted $mnt"
