#!/bin/bash
# The systemd units in dist/ pass `systemd-analyze
# verify` with their binaries pointed at this build, and the chantalfs
# unit's commands work: ExecStartPre + ExecStart mount the tree, again after
# a crash left a dead mount behind (Restart=on-failure: chantalfs takes the
# dead mount over), and SIGTERM (what
# systemctl stop sends) ends the daemon with status 0.
source "$(dirname "$0")/lib.sh"
require_tools systemd-analyze
require_fuse
require_chantal
require_chantalfs
make_repos main

units=$SCRATCH/units
mkdir -p "$units"
for unit in "$CHANTAL_SOURCE_DIR"/dist/systemd/*; do
  sed -e "s|/usr/local/bin/chantalfs|$CHANTALFS_BIN|g" -e "s|/usr/local/bin/chantal |$CHANTAL_BIN |g" \
    "$unit" >"$units/$(basename "$unit")"
done
assert_file_exists "$units/chantalfs.service" "$units/chantal-sync.service" "$units/chantal-sync.timer"
(cd "$units" && assert_exit 0 systemd-analyze verify --man=no ./chantalfs.service ./chantal-sync.service ./chantal-sync.timer
  assert_eq "" "$ASSERT_ERR$ASSERT_OUT" "systemd-analyze verify findings")

# Run the unit's ExecStart with the config and mount point swapped for scratch ones.
cfg=$SCRATCH/config.yaml
chantal_config_base "$SCRATCH/state" >"$cfg"
printf 'repositories:\n  - id: main\n    feed: %s\n' "$(fixture_url main)" >>"$cfg"
chantal --config "$cfg" init >/dev/null
assert_exit 0 chantal --config "$cfg" -q repo sync --repo-id main
# start_unit: the unit's ExecStartPre lines (a leading "-": failure ignored),
# then its ExecStart in the background (fs_pid), with the config and mount
# point swapped for scratch ones.
mnt=$SCRATCH/mirror
mount_cleanup "$mnt"
unit_line() { local line=${1//\/etc\/chantal\/config.yaml/$cfg}; printf '%s\n' "${line//\/srv\/mirror/$mnt}"; }
start_unit() {
  local line
  while read -r line; do
    line=$(unit_line "$line")
    if [[ $line == -* ]]; then bash -c "${line#-}" || true; else bash -c "$line" || fail "ExecStartPre failed: $line"; fi
  done < <(sed -n 's/^ExecStartPre=//p' "$units/chantalfs.service")
  local -a argv
  read -r -a argv <<<"$(unit_line "$(sed -n 's/^ExecStart=//p' "$units/chantalfs.service")")"
  [[ ${argv[0]} == "$CHANTALFS_BIN" ]] || fail "unexpected ExecStart: ${argv[*]}"
  "${argv[@]}" 2>>"$SCRATCH/chantalfs.log" &
  fs_pid=$!
  on_exit "stop_pid $fs_pid"
  # A listing, not a stat: the kernel answers a stat of a dead mount from its cache.
  wait_until 10 ls "$mnt/repos/main/latest"
}
start_unit
assert_contains "$(grep " $mnt " /proc/mounts)" "allow_other"
# A crash leaves a dead mount behind; the restart (Restart=on-failure) recovers.
kill -KILL "$fs_pid"
wait "$fs_pid" || true
assert_exit 2 ls "$mnt"
assert_contains "$ASSERT_ERR" "Transport endpoint is not connected"
start_unit
assert_eq $'latest\nsnapshots' "$(ls "$mnt/repos/main")"
assert_contains "$(<"$SCRATCH/chantalfs.log")" "took over $mnt"
# systemctl stop: SIGTERM (KillSignal), exit status 0, nothing mounted.
assert_eq SIGTERM "$(sed -n 's/^KillSignal=//p' "$units/chantalfs.service")"
kill -TERM "$fs_pid"
wait "$fs_pid" || fail "chantalfs exited with status $? after SIGTERM"
if grep -q " $mnt " /proc/mounts; then fail "still mounted after SIGTERM"; fi
