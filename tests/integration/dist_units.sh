#!/bin/bash
# The systemd units in dist/ (issue 6 ops files) pass `systemd-analyze
# verify` with their binaries pointed at this build, and the chantalfs
# unit's command line is one chantalfs accepts (it mounts, SIGTERM ends it
# with status 0, as systemctl stop does).
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
exec_start=$(sed -n 's/^ExecStart=//p' "$units/chantalfs.service")
[[ $exec_start == "$CHANTALFS_BIN --config /etc/chantal/config.yaml /srv/mirror "* ]] ||
  fail "unexpected ExecStart: $exec_start"
mnt=$SCRATCH/mirror
mkdir -p "$mnt"
mount_cleanup "$mnt"
read -r -a argv <<<"${exec_start//\/etc\/chantal\/config.yaml/$cfg}"
argv=("${argv[@]//\/srv\/mirror/$mnt}")
"${argv[@]}" 2>"$SCRATCH/chantalfs.log" &
fs_pid=$!
on_exit "stop_pid $fs_pid"
wait_until 10 test -d "$mnt/repos/main/latest"
assert_contains "$(grep " $mnt " /proc/mounts)" "allow_other"
kill -TERM "$fs_pid"
wait "$fs_pid" || fail "chantalfs exited with status $? after SIGTERM"
if grep -q " $mnt " /proc/mounts; then fail "still mounted after SIGTERM"; fi
