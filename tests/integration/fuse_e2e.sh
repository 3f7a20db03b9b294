#!/bin/bash
# chantalfs end to end (issue 6): createrepo_c upstreams served over HTTP ->
# repo sync -> snapshot create -> mount -> nginx serving the mount -> dnf.
#  - dnf installs a package whose dependency lives in another repo, through a view URL;
#  - dnf repoquery through the mount == against the upstream repo;
#  - a signed upstream passes repo_gpgcheck=1 through the mirror tree;
#  - a new sync + snapshot appears in ls while mounted (within 2 s);
#  - the previous repodata stays readable during the grace period;
#  - a write gets EROFS; unmount leaves nothing behind.
source "$(dirname "$0")/lib.sh"
require_tools createrepo_c dnf nginx rpm
require_fuse
require_chantal
require_chantalfs
make_repos main lib signed main-v2

# Upstreams over HTTP (main is a private copy: it changes mid-test).
mkdir -p "$SCRATCH/upstream"
copy_repo main "$SCRATCH/upstream/main"
cp -a "$FIXTURES/lib" "$FIXTURES/signed" "$SCRATCH/upstream/"
up=$(start_http_server "$SCRATCH/upstream")

cfg=$SCRATCH/config.yaml
chantal_config_base "$SCRATCH/state" >"$cfg"
cat >>"$cfg" <<CONFIG
repositories:
  - id: main
    feed: http://127.0.0.1:$up/main
  - id: lib
    feed: http://127.0.0.1:$up/lib
  - id: signed
    feed: http://127.0.0.1:$up/signed
views:
  - name: all
    repos: [main, lib]
CONFIG
chantal --config "$cfg" init >/dev/null
assert_exit 0 chantal --config "$cfg" repo sync --all
# The sync generated the view's repodata before any client asked (a mirror
# repo has upstream's): "views/all/latest: N index files generated in S".
assert_match "$ASSERT_ERR" "views/all/latest: [0-9]+ index files generated in"
assert_not_contains "$ASSERT_ERR" "repos/main/latest: "
prepared=$(sqlite3 "$SCRATCH/state/chantal.db" "SELECT c.sha256 FROM generated_metadata g JOIN content_items c ON c.id = g.content_id WHERE g.metadata_type = 'repomd'")
[[ -n $prepared ]] || fail "repo sync recorded no generated repomd.xml for the view"
assert_exit 0 chantal --config "$cfg" -q snapshot create --repo-id main --name s1
assert_exit 0 chantal --config "$cfg" -q snapshot create --view all --name v1

mnt=$SCRATCH/mnt
mkdir -p "$mnt"
mount_cleanup "$mnt"
chantalfs --config "$cfg" "$mnt" -f 2>"$SCRATCH/chantalfs.log" &
fs_pid=$!
on_exit "stop_pid $fs_pid"
wait_until 10 test -d "$mnt/repos/main"
log "$(grep -m1 'read mode' "$SCRATCH/chantalfs.log")"

assert_eq $'repos\nviews' "$(ls "$mnt")"
assert_eq $'latest\nsnapshots' "$(ls "$mnt/repos/main")"
assert_eq $'all-v1\ns1' "$(ls "$mnt/repos/main/snapshots")"  # a view snapshot snapshots its members
assert_eq $'Packages\nrepodata' "$(ls "$mnt/views/all/snapshots/v1")"
# Mirror tree: upstream's repodata and packages byte for byte.
cmp "$mnt/repos/main/latest/repodata/repomd.xml" "$SCRATCH/upstream/main/repodata/repomd.xml" ||
  fail "mirror repomd.xml differs from upstream"
cmp "$mnt/repos/main/snapshots/s1/chantal-demo-app-1.0-1.noarch.rpm" "$FIXTURES/main/chantal-demo-app-1.0-1.noarch.rpm" ||
  fail "package bytes differ"

# The mount serves the repomd.xml the sync generated (found, not made again).
assert_contains "$prepared" "$(sha256sum <"$mnt/views/all/latest/repodata/repomd.xml" | cut -d' ' -f1)"

port=$(start_nginx "$mnt")
base=http://127.0.0.1:$port

# dnf installs chantal-demo-app (main) with its dependency chantal-demo-lib (lib) through the view.
assert_exit 0 dnf_offline --root "$SCRATCH/root-view" --repo "all=$base/views/all/snapshots/v1" install chantal-demo-app
assert_exit 0 rpm --root "$SCRATCH/root-view" -q chantal-demo-app chantal-demo-lib
assert_exit 0 dnf_offline --root "$SCRATCH/root-view-latest" --repo "all=$base/views/all/latest" install chantal-demo-app

# repoquery through the mount == against upstream (mirror latest, snapshot, view).
q() { dnf_offline --root "$SCRATCH/rq-$1" --repo "r=$2" repoquery --qf '%{name}-%{epoch}:%{version}-%{release}.%{arch}' | sort; }
upstream_main=$(q up "http://127.0.0.1:$up/main")
[[ -n $upstream_main ]] || fail "empty repoquery against upstream"
assert_eq "$upstream_main" "$(q latest "$base/repos/main/latest")" "repoquery: mount latest vs upstream"
assert_eq "$upstream_main" "$(q snap "$base/repos/main/snapshots/s1")" "repoquery: mount snapshot vs upstream"
assert_eq "$(printf '%s\n%s\n' "$upstream_main" "$(q uplib "http://127.0.0.1:$up/lib")" | sort)" \
  "$(q view "$base/views/all/snapshots/v1")" "repoquery: view vs union of upstreams"

# The signed upstream passes repo_gpgcheck=1 through the mirror tree.
assert_file_exists "$mnt/repos/signed/latest/repodata/repomd.xml.asc"
assert_exit 0 dnf_offline --root "$SCRATCH/root-signed" --repo "signed=$base/repos/signed/latest" \
  --gpgkey "$FIXTURES/signed/RPM-GPG-KEY-chantal-fixtures" repoquery chantal-demo-app
assert_contains "$ASSERT_OUT" "chantal-demo-app"

# A new upstream state: sync + snapshot show up while mounted, within 2 s.
old_repomd=$(cat "$mnt/repos/main/latest/repodata/repomd.xml")
old_primary=$(cd "$mnt/repos/main/latest/repodata" && ls -- *-primary.xml.gz)
rm -rf "$SCRATCH/upstream/main" && cp -a "$FIXTURES/main-v2" "$SCRATCH/upstream/main"
assert_exit 0 chantal --config "$cfg" -q repo sync --repo-id main
assert_exit 0 chantal --config "$cfg" -q snapshot create --repo-id main --name s2
start=$(date +%s%N)
wait_until 5 grep -qx s2 <(ls "$mnt/repos/main/snapshots")
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
((elapsed_ms <= 2000)) || fail "new snapshot took ${elapsed_ms} ms to appear"
latest_moved() { [[ $(cat "$mnt/repos/main/latest/repodata/repomd.xml") != "$old_repomd" ]]; }
wait_until 3 latest_moved
cmp "$mnt/repos/main/latest/repodata/repomd.xml" "$SCRATCH/upstream/main/repodata/repomd.xml" ||
  fail "latest did not move to the new upstream state"
assert_contains "$(q latest2 "$base/repos/main/latest")" "chantal-extra"
assert_not_contains "$(q s1again "$base/repos/main/snapshots/s1")" "chantal-extra" "snapshot s1 changed"
# Grace period: the previous state's primary is still readable by its name.
cat "$mnt/repos/main/latest/repodata/$old_primary" >/dev/null || fail "old primary vanished during the grace period"

# Read-only: EROFS for writes, creates, mkdir, unlink.
assert_exit 1 bash -c "echo x >'$mnt/repos/main/latest/new-file'"
assert_contains "$ASSERT_ERR" "Read-only file system"
assert_exit 1 bash -c "echo x >>'$mnt/repos/main/latest/repodata/repomd.xml'"
assert_contains "$ASSERT_ERR" "Read-only file system"
assert_exit 1 mkdir "$mnt/repos/x"
assert_contains "$ASSERT_ERR" "Read-only file system"
assert_exit 1 rm -f "$mnt/repos/main/latest/repodata/repomd.xml"
assert_contains "$ASSERT_ERR" "Read-only file system"

# Unmount leaves nothing: no mount entry, no daemon.
fusermount3 -u -z "$mnt"
wait_until 5 bash -c "! kill -0 $fs_pid 2>/dev/null"
wait "$fs_pid" || fail "chantalfs exited with status $? after fusermount3 -u"
if grep -q " $mnt " /proc/mounts; then fail "mount still listed in /proc/mounts"; fi
assert_contains "$(cat "$SCRATCH/chantalfs.log")" "unmounted"
[[ -z $(ls -A "$mnt") ]] || fail "mount point not empty after unmount"
