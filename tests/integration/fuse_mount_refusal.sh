#!/bin/bash
# chantalfs refuses a mount point it must not mount over (design.md §3):
#  - a live chantalfs mount: a second chantalfs (background or -f) exits
#    non-zero naming the file system type and source found there; the first
#    mount stays the only one, and other users (allow_other) still read it;
#  - a foreign mount (tmpfs): refused the same way, naming tmpfs;
#  - mount points with a space (mountinfo writes it as \040) are recognised;
#  - a non-empty directory: refused unless -o nonempty (our option, not
#    passed to libfuse 3, which no longer knows it).
source "$(dirname "$0")/lib.sh"
require_root
require_tools setpriv mount umount
require_fuse
require_chantal
require_chantalfs

cfg=$SCRATCH/config.yaml
synced_config "$cfg" "$SCRATCH/state" main
chmod 711 "$SCRATCH"   # other users may traverse to the mount points
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# ------------------------------------------------------------ a live chantalfs mount
mnt="$SCRATCH/mnt with space"
start_chantalfs "$cfg" "$mnt" -o allow_other
repomd=$mnt/repos/main/latest/repodata/repomd.xml
assert_exit 0 as_nobody cat "$repomd"
assert_eq 1 "$(mounts_at "$mnt")" "mounts at $mnt before the second chantalfs"

for mode in background foreground; do
  args=()
  [[ $mode == foreground ]] && args=(-f)
  # timeout: before the fix a foreground chantalfs stacked and kept running.
  assert_exit 1 timeout 20 "$CHANTALFS_BIN" --config "$cfg" "$mnt" "${args[@]}"
  assert_contains "$ASSERT_ERR" "$mnt" "$mode: the message names the mount point"
  assert_contains "$ASSERT_ERR" "fuse.chantalfs" "$mode: the message names the file system type"
  assert_contains "$ASSERT_ERR" "chantal" "$mode: the message names the source"
  assert_contains "$ASSERT_ERR" "already" "$mode: the message says a mount is there"
  assert_eq 1 "$(mounts_at "$mnt")" "$mode: mounts at $mnt after the refused chantalfs"
  assert_exit 0 as_nobody cat "$repomd"
done
kill -0 "$CHANTALFS_PID" || fail "the first chantalfs died"

# ------------------------------------------------------------ a foreign mount
tmp_mnt=$SCRATCH/tmpfs
mkdir -p "$tmp_mnt"
mount -t tmpfs chantal-test-tmpfs "$tmp_mnt"
on_exit "umount -l '$tmp_mnt' 2>/dev/null || true"
assert_exit 1 timeout 20 "$CHANTALFS_BIN" --config "$cfg" "$tmp_mnt" -f
assert_contains "$ASSERT_ERR" "tmpfs"
assert_contains "$ASSERT_ERR" "chantal-test-tmpfs"
assert_eq 1 "$(mounts_at "$tmp_mnt")" "mounts at $tmp_mnt"

# ------------------------------------------------------------ a non-empty directory
full=$SCRATCH/full
mkdir -p "$full"
echo data >"$full/file"
assert_exit 1 timeout 20 "$CHANTALFS_BIN" --config "$cfg" "$full" -f
assert_contains "$ASSERT_ERR" "not empty"
assert_contains "$ASSERT_ERR" "-o nonempty"
assert_eq 0 "$(mounts_at "$full")" "mounts at $full after the refusal"
# -o nonempty: mounts over the directory, whose file is hidden meanwhile.
start_chantalfs "$cfg" "$full" -o nonempty
assert_file_exists "$full/repos/main/latest/repodata/repomd.xml"
assert_file_missing "$full/file"
fusermount3 -u "$full"
wait "$CHANTALFS_PID" || fail "chantalfs -o nonempty exited with status $?"
assert_eq "data" "$(cat "$full/file")" "the directory's own file after the unmount"
