#!/bin/bash
# chantalfs as a mounted file system (issue 6, design.md §2/§3):
#  - every write is EROFS: create, mkdir, rmdir, unlink, rename, link,
#    symlink, mknod, truncate, chmod, chown, utimens, open O_WRONLY/O_RDWR,
#    setxattr, removexattr;
#  - getxattr/listxattr are answered ENOSYS once, then the kernel stops
#    asking (counted in the -d request log); flush is never sent (noflush);
#  - statfs: df shows the pool disk's blocks and the catalogue's content
#    item count (a change shows within the watcher's poll), read-only,
#    255-byte names;
#  - default_permissions + allow_other: another user (nginx's www-data) can
#    read with allow_other and cannot without it;
#  - `chantalfs CONFIG MOUNTPOINT -o OPTS` ignores fstab-only options;
#  - SIGTERM and fusermount3 -u end the daemon with exit status 0, no mount
#    left; an aborted connection (a directory and a file held open) ends it
#    with status 0 too, leaving the dead mount to umount;
#  - the fstab forms through mount(8) -> mount.fuse3 -> `chantalfs CONFIG
#    MOUNTPOINT -o OPTS`, with fstab-only options (nofail, _netdev,
#    x-systemd.*), then `umount`: `fuse.chantalfs` (chantalfs looked up on
#    /bin/sh's default PATH: mount runs helpers without PATH) and
#    `fuse` with `/path/to/chantalfs#CONFIG`.
source "$(dirname "$0")/lib.sh"
require_root
require_tools sqlite3 setpriv mount umount df stat mkfifo truncate
require_fuse
require_chantal
require_chantalfs
make_repos main lib

state=$SCRATCH/state
cfg=$SCRATCH/config.yaml
chantal_config_base "$state" >"$cfg"
cat >>"$cfg" <<CONFIG
repositories:
  - id: main
    feed: $(fixture_url main)
  - id: lib
    feed: $(fixture_url lib)
CONFIG
chantal --config "$cfg" init >/dev/null
assert_exit 0 chantal --config "$cfg" -q repo sync --all
assert_exit 0 chantal --config "$cfg" -q snapshot create --repo-id main --name s1
chmod 711 "$SCRATCH"   # other users may traverse to the mount points (allow_other check)

mnt=$SCRATCH/mnt
mkdir -p "$mnt"
mount_cleanup "$mnt"
"$CHANTALFS_BIN" --config "$cfg" "$mnt" -f -d 2>"$SCRATCH/debug.log" &
fs_pid=$!
on_exit "stop_pid $fs_pid"
wait_until 10 test -d "$mnt/repos/main"
file=$mnt/repos/main/latest/repodata/repomd.xml
dir=$mnt/repos/main/snapshots/s1
cmp "$file" "$FIXTURES/main/repodata/repomd.xml" || fail "repomd.xml differs"

# ------------------------------------------------------------ EROFS
erofs() {  # CMD...: fails with "Read-only file system"
  assert_exit 1 "$@"
  assert_contains "$ASSERT_ERR" "Read-only file system" "$*"
}
erofs touch "$dir/new-file"                                   # create
erofs mkdir "$dir/new-dir"
erofs rmdir "$dir"
erofs rm -f "$file"
erofs mv "$file" "$file.old"                                  # rename
erofs ln "$file" "$dir/hardlink"
erofs ln -s repomd.xml "$dir/symlink"
erofs mkfifo "$dir/fifo"                                      # mknod
erofs truncate -s 0 "$file"                                   # setattr(size)
erofs chmod 600 "$file"                                       # setattr(mode)
erofs chown nobody "$file"                                    # setattr(uid)
erofs touch "$file"                                           # setattr(times)
erofs bash -c "echo x >>'$file'"                              # open O_WRONLY|O_APPEND
py_open() { "$CHANTAL_PYTHON" -c 'import os, sys; os.open(sys.argv[1], int(sys.argv[2]))' "$@"; }
erofs py_open "$file" "$("$CHANTAL_PYTHON" -c 'import os; print(os.O_WRONLY)')"
erofs py_open "$file" "$("$CHANTAL_PYTHON" -c 'import os; print(os.O_RDWR)')"
erofs "$CHANTAL_PYTHON" -c 'import os, sys; os.setxattr(sys.argv[1], "user.x", b"1")' "$file"
erofs "$CHANTAL_PYTHON" -c 'import os, sys; os.removexattr(sys.argv[1], "user.x")' "$file"
cmp "$file" "$FIXTURES/main/repodata/repomd.xml" || fail "repomd.xml changed after the write attempts"

# ------------------------------------------------------------ xattr and flush: ENOSYS once
opcodes() { grep -c "opcode: $1 " "$SCRATCH/debug.log" || true; }
for _ in 1 2 3; do
  assert_exit 1 "$CHANTAL_PYTHON" -c 'import os, sys; os.getxattr(sys.argv[1], "user.x")' "$file"
  assert_contains "$ASSERT_ERR" "Operation not supported"
  assert_exit 1 "$CHANTAL_PYTHON" -c 'import os, sys; os.listxattr(sys.argv[1])' "$dir"
  assert_contains "$ASSERT_ERR" "Operation not supported"
  cat "$file" >/dev/null
done
assert_eq 1 "$(opcodes GETXATTR)" "GETXATTR requests (ENOSYS must stop the kernel asking)"
assert_eq 1 "$(opcodes LISTXATTR)" "LISTXATTR requests"
assert_eq 0 "$(opcodes FLUSH)" "FLUSH requests (files are opened with noflush)"

# ------------------------------------------------------------ statfs / df
read -r blocks frsize namemax files free_files < <(stat -f -c '%b %S %l %c %d' "$mnt")
read -r pool_blocks pool_frsize < <(stat -f -c '%b %S' "$state/pool")
assert_eq "$pool_frsize $pool_blocks" "$frsize $blocks" "statfs blocks: the pool's file system"
assert_eq 255 "$namemax" "statfs name max"
assert_eq "$(sqlite3 "$state/chantal.db" 'SELECT count(*) FROM content_items')" "$files" "statfs files"
((files > 0)) || fail "statfs files is 0"
assert_eq 0 "$free_files" "statfs free files"
# A catalogue change shows in the count within the watcher's poll.
sqlite3 "$state/chantal.db" "INSERT INTO content_items (sha256, filename, size, kind, added_at)
                             VALUES ('$(printf '%064d' 7)', 'statfs-probe.rpm', 1, 'package', 1)"
files_now() { stat -f -c %c "$mnt"; }
counted() { [[ $(files_now) == "$((files + 1))" ]]; }
wait_until 5 counted
assert_exit 0 "$CHANTAL_PYTHON" -c 'import os, sys; sys.exit(0 if os.statvfs(sys.argv[1]).f_flag & os.ST_RDONLY else 1)' "$mnt"
assert_contains "$(df -P "$mnt" | tail -1)" "chantal "
assert_match "$(df -P "$mnt" | tail -1)" "^chantal +[1-9][0-9]* "

# ------------------------------------------------------------ default_permissions and allow_other
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
assert_exit 1 as_nobody cat "$file"
assert_contains "$ASSERT_ERR" "Permission denied" "another user without allow_other"
mnt2=$SCRATCH/mnt-other
mkdir -p "$mnt2"
mount_cleanup "$mnt2"
# The mount.fuse3 argument form (CONFIG MOUNTPOINT), with options copied from
# an fstab line: the ones meant for mount/systemd are ignored, not refused.
"$CHANTALFS_BIN" "$cfg" "$mnt2" -f -o ro,allow_other,nofail,_netdev,x-systemd.automount,auto,defaults,comment=x \
  2>"$SCRATCH/other.log" &
other_pid=$!
on_exit "stop_pid $other_pid"
wait_until 10 test -d "$mnt2/repos/main"
assert_exit 0 as_nobody cat "$mnt2/repos/main/latest/repodata/repomd.xml"
assert_contains "$ASSERT_OUT" "<repomd"
assert_eq "444 555" "$(stat -c %a "$mnt2/repos/main/latest/repodata/repomd.xml") $(stat -c %a "$mnt2/repos/main/latest")"
assert_exit 1 as_nobody touch "$mnt2/repos/main/latest/x"

# ------------------------------------------------------------ clean exits
kill -TERM "$fs_pid"
wait "$fs_pid" || fail "chantalfs exited with status $? after SIGTERM"
if grep -q " $mnt " /proc/mounts; then fail "mount still listed after SIGTERM"; fi
assert_match "$(cat "$SCRATCH/debug.log")" "read mode: (passthrough|splice)"
assert_contains "$(cat "$SCRATCH/debug.log")" "stopping on SIGTERM"
assert_contains "$(cat "$SCRATCH/debug.log")" "unmounted $mnt"
fusermount3 -u "$mnt2"
wait "$other_pid" || fail "chantalfs exited with status $? after fusermount3 -u"
if grep -q " $mnt2 " /proc/mounts; then fail "mount still listed after fusermount3 -u"; fi
assert_contains "$(cat "$SCRATCH/other.log")" "unmounted $mnt2"
# An aborted connection (`echo 1 >/sys/fs/fuse/connections/N/abort`, what an
# admin does to a hung mount) while a client holds a listed directory and a
# read file open: the kernel sends no release for them, and the daemon still
# exits with status 0 and frees their handles (a sanitizer build reports a
# leak). Like every libfuse file system it leaves the dead mount to umount.
mnt3=$SCRATCH/mnt3
mkdir -p "$mnt3"
mount_cleanup "$mnt3"
"$CHANTALFS_BIN" --config "$cfg" "$mnt3" -f 2>"$SCRATCH/aborted.log" &
aborted_pid=$!
on_exit "stop_pid $aborted_pid"
wait_until 10 test -d "$mnt3/repos/main"
mkfifo "$SCRATCH/holder-ready"
python3 - "$mnt3/repos/main/latest" "$SCRATCH/holder-ready" <<'PYTHON' &
import os, sys, time
directory = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
names = os.listdir(directory)
file = os.open(os.path.join(sys.argv[1], "repodata", "repomd.xml"), os.O_RDONLY)
os.read(file, 16)
with open(sys.argv[2], "w") as ready:
    ready.write(" ".join(sorted(names)) + "\n")
time.sleep(120)
PYTHON
holder_pid=$!
on_exit "kill $holder_pid 2>/dev/null || true"
assert_contains "$(<"$SCRATCH/holder-ready")" "repodata"
fusectl=/sys/fs/fuse/connections
if ! mountpoint -q "$fusectl"; then
  mount -t fusectl fusectl "$fusectl" || fail "cannot mount fusectl on $fusectl"
  on_exit "umount '$fusectl' 2>/dev/null || true"
fi
# As docs/operations.md does it: the minor device number from mountinfo.
connection=$fusectl/$(awk -v m="$mnt3" '$5 == m { split($3, device, ":"); print device[2] }' /proc/self/mountinfo)
[[ -w $connection/abort ]] || fail "no fusectl entry $connection for $mnt3"
echo 1 >"$connection/abort"
wait_until 10 bash -c "! kill -0 $aborted_pid 2>/dev/null || [[ \$(ps -o stat= -p $aborted_pid) == Z* ]]"
wait "$aborted_pid" || fail "chantalfs exited with status $? after its connection was aborted"
assert_contains "$(cat "$SCRATCH/aborted.log")" "unmounted $mnt3"
kill "$holder_pid" 2>/dev/null || true
wait "$holder_pid" 2>/dev/null || true
assert_exit 0 umount "$mnt3"

# ------------------------------------------------------------ fstab forms: mount(8) -> mount.fuse3 -> chantalfs
daemon_of() { pgrep -f -- "chantalfs $cfg $1 " || true; }   # the detached daemon of one mount point
fstab_mount() {  # MOUNTPOINT TYPE SOURCE: mount, check, umount; the daemon must go away
  local m=$1 pid
  mkdir -p "$m"
  mount_cleanup "$m"
  assert_exit 0 mount -t "$2" "$3" "$m" -o ro,allow_other,nofail,_netdev,x-systemd.automount,x-systemd.requires=network-online.target,noatime
  pid=$(daemon_of "$m")
  [[ -n $pid ]] || fail "no chantalfs daemon for $m after mount -t $2"
  on_exit "stop_pid $pid"
  assert_contains "$(grep " $m " /proc/mounts)" "fuse.chantalfs ro,"
  assert_exit 0 as_nobody cat "$m/repos/main/latest/repodata/repomd.xml"
  assert_contains "$ASSERT_OUT" "<repomd"
  assert_eq $'latest\nsnapshots' "$(ls "$m/repos/main")"
  assert_exit 0 umount "$m"
  wait_until 10 bash -c "! kill -0 $pid 2>/dev/null"
  if grep -q " $m " /proc/mounts; then fail "$m still mounted after umount"; fi
}
# `/etc/fstab: CONFIG MOUNTPOINT fuse.chantalfs OPTS`: mount runs helpers
# without PATH, so chantalfs must be where /bin/sh looks by default; put a
# symlink in /usr/local/sbin for the test unless one is there already.
link=/usr/local/sbin/chantalfs
if [[ ! -e $link && ! -L $link ]]; then
  mkdir -p /usr/local/sbin
  ln -s "$CHANTALFS_BIN" "$link"
  on_exit "[[ \$(readlink '$link') == '$CHANTALFS_BIN' ]] && rm -f '$link'"
fi
found=$(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin type -P chantalfs || true)
[[ -n $found && $(readlink -f "$found") == $(readlink -f "$CHANTALFS_BIN") ]] ||
  fail "another chantalfs comes first on the default PATH; cannot test the fuse.chantalfs form with this build"
fstab_mount "$SCRATCH/fstab-type" fuse.chantalfs "$cfg"
fstab_mount "$SCRATCH/fstab-hash" fuse "$CHANTALFS_BIN#$cfg"
