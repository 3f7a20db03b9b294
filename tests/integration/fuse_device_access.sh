#!/bin/bash
# A user who cannot open /dev/fuse gets, after libfuse's own message, one
# line saying what to change: /dev/fuse's permissions or group, and for
# -o allow_other `user_allow_other` in /etc/fuse.conf. Runs for real, in a
# private mount namespace (unshare -m) where an inaccessible node is bound
# over /dev/fuse, so other tests and the host keep their /dev/fuse.
source "$(dirname "$0")/lib.sh"
require_root
require_tools unshare setpriv mount
require_fuse
require_chantal
require_chantalfs

# The state belongs to nobody, who must open the catalogue and see the mount point.
state=$SCRATCH/state
cfg=$SCRATCH/config.yaml
synced_config_for_nobody "$cfg" "$state" main
mnt=$SCRATCH/mnt
mkdir -p "$mnt"
chown nobody "$mnt"
: >"$SCRATCH/no-access"
chmod 000 "$SCRATCH/no-access"
printf '# no user_allow_other\n' >"$SCRATCH/fuse.conf"

# as_nobody_without_fuse CMD...: CMD as nobody, with /dev/fuse inaccessible
# and an /etc/fuse.conf without user_allow_other.
as_nobody_without_fuse() {
  # shellcheck disable=SC2016  # expanded by the inner bash
  unshare -m --propagation private bash -c '
    mount --bind "$1" /dev/fuse || exit 99
    if [[ -e /etc/fuse.conf ]]; then mount --bind "$2" /etc/fuse.conf || exit 99; fi
    shift 2
    exec timeout 20 setpriv --reuid=65534 --regid=65534 --clear-groups "$@"' \
    bash "$SCRATCH/no-access" "$SCRATCH/fuse.conf" "$@"
}

for opts in "" "-o allow_other"; do
  # shellcheck disable=SC2086  # opts: zero or two words
  assert_exit 1 as_nobody_without_fuse "$CHANTALFS_BIN" --config "$cfg" "$mnt" -f $opts
  log "chantalfs $opts said: $ASSERT_ERR"
  assert_contains "$ASSERT_ERR" "/dev/fuse: Permission denied" "libfuse's message stays"
  assert_match "$ASSERT_ERR" "uid 65534 .*/dev/fuse" "the advice names the user and the device"
  assert_contains "$ASSERT_ERR" "ls -l /dev/fuse" "the advice says how to see its owner and group"
  advice_lines=$(grep -c 'chantalfs:' <<<"$ASSERT_ERR" || true)
  assert_eq 1 "$advice_lines" "one line of advice:"$'\n'"$ASSERT_ERR"
  if [[ -n $opts ]]; then
    assert_contains "$ASSERT_ERR" "user_allow_other" "allow_other: the advice names /etc/fuse.conf"
  fi
done
assert_eq 0 "$(mounts_at "$mnt")" "nothing mounted"
