#!/bin/bash
# Air-gap round trip (issue 7): sync the fixture repos main and lib ->
# snapshot create (repo and view) -> export the snapshots -> serve the export
# with nginx -> dnf installs chantal-demo-app (main) with chantal-demo-lib
# (lib) from the view export; a second Chantal instance (fresh config and
# state) syncs from file:// of the export -> the same package set and
# sha256s. Also: exported files are hardlinks into the pool, re-export of an
# unchanged tree says "unchanged" and touches nothing, publish writes the
# tree paths under storage.published_path, and the export's bytes equal the
# FUSE mount's.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_tools createrepo_c dnf nginx sqlite3
make_repos main lib

cfg=$SCRATCH/config.yaml
{
  chantal_config_base "$SCRATCH/state"
  cat <<CONFIG
repositories:
  - id: main
    feed: $(fixture_url main)
  - id: lib
    feed: $(fixture_url lib)
views:
  - name: all
    repos: [main, lib]
CONFIG
} >"$cfg"
chantal --config "$cfg" init >/dev/null
assert_exit 0 chantal --config "$cfg" -q repo sync --all
assert_exit 0 chantal --config "$cfg" -q snapshot create --repo-id main --name s1
assert_exit 0 chantal --config "$cfg" -q snapshot create --view all --name v1

# ---------------------------------------------------------------- export
export_root=$SCRATCH/export
assert_exit 0 chantal --config "$cfg" export --repo-id main --snapshot s1 --dest "$export_root/main-s1"
assert_match "$ASSERT_OUT" "exported repos/main/snapshots/s1 at $export_root/main-s1: [0-9]+ files"
assert_contains "$ASSERT_OUT" "0 copied"
assert_exit 0 chantal --config "$cfg" --format json export --view all --snapshot v1 --dest "$export_root/all-v1"
python3 - "$ASSERT_OUT" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
assert r["tree"] == "views/all/snapshots/v1" and not r["unchanged"], r
assert r["files"] == r["linked_files"] and r["copied_files"] == 0 and r["files"] >= 10, r
PY
assert_file_exists "$export_root/all-v1/repodata/repomd.xml" "$export_root/all-v1/Packages/c/chantal-demo-lib-1.0-1.noarch.rpm"
# No staging leftovers beside the destinations.
assert_eq $'all-v1\nmain-s1' "$(ls -A "$export_root")"
# Packages are hardlinks into the pool.
pkg=$export_root/main-s1/chantal-demo-app-1.0-1.noarch.rpm
assert_eq "$(stat -c %i "$pkg")" "$(stat -c %i "$(find "$SCRATCH/state/pool" -name '*_chantal-demo-app-1.0-1.noarch.rpm')")"
cmp "$export_root/main-s1/repodata/repomd.xml" "$FIXTURES/main/repodata/repomd.xml" || fail "mirror repomd.xml differs from upstream"

# Unchanged re-export: says so, and the tree keeps its inodes and mtimes.
before=$(stat -c '%i %Y' "$export_root/all-v1" "$export_root/all-v1/repodata/repomd.xml")
assert_exit 0 chantal --config "$cfg" export --view all --snapshot v1 --dest "$export_root/all-v1"
assert_contains "$ASSERT_OUT" "unchanged"
assert_eq "$before" "$(stat -c '%i %Y' "$export_root/all-v1" "$export_root/all-v1/repodata/repomd.xml")"
# A foreign directory is never replaced.
mkdir -p "$SCRATCH/foreign" && echo keep >"$SCRATCH/foreign/file"
assert_exit 1 chantal --config "$cfg" export --repo-id main --dest "$SCRATCH/foreign"
assert_contains "$ASSERT_ERR" "is not a Chantal export"
assert_eq keep "$(cat "$SCRATCH/foreign/file")"
# Usage and unknown names.
assert_exit 2 chantal --config "$cfg" export --repo-id main
assert_exit 1 chantal --config "$cfg" export --repo-id nope --dest "$SCRATCH/x"
assert_exit 1 chantal --config "$cfg" export --repo-id main --snapshot nope --dest "$SCRATCH/x"
assert_file_missing "$SCRATCH/x"

# ---------------------------------------------------------------- publish
published=$SCRATCH/state/published
assert_exit 0 chantal --config "$cfg" -q publish repo --repo-id main
assert_exit 0 chantal --config "$cfg" -q publish snapshot --repo-id main --name s1
assert_exit 0 chantal --config "$cfg" -q publish snapshot --view all --name v1
assert_exit 0 chantal --config "$cfg" -q publish view --name all
assert_file_exists "$published/repos/main/latest/repodata/repomd.xml" "$published/repos/main/snapshots/s1/repodata/repomd.xml" \
  "$published/views/all/latest/repodata/repomd.xml" "$published/views/all/snapshots/v1/repodata/repomd.xml"
assert_exit 0 chantal --config "$cfg" publish view --name all
assert_contains "$ASSERT_OUT" "unchanged"

# ---------------------------------------------------------------- serve and install
port=$(start_nginx "$export_root")
assert_exit 0 dnf_offline --root "$SCRATCH/root-view" --repo "all=http://127.0.0.1:$port/all-v1" install chantal-demo-app
installed=$(rpm --root "$SCRATCH/root-view" -qa --qf '%{name}\n' | sort | tr '\n' ' ')
assert_eq "chantal-demo-app chantal-demo-lib " "$installed"
# The published tree serves as well (web server without FUSE).
pport=$(start_nginx "$published")
assert_exit 0 dnf_offline --root "$SCRATCH/root-pub" --repo "main=http://127.0.0.1:$pport/repos/main/snapshots/s1" \
  --repo "lib=http://127.0.0.1:$pport/views/all/latest" install chantal-demo-app

# ---------------------------------------------------------------- re-import on the other side
cfg2=$SCRATCH/config2.yaml
{
  chantal_config_base "$SCRATCH/state2"
  cat <<CONFIG
repositories:
  - id: main
    feed: file://$export_root/main-s1
  - id: all
    feed: file://$export_root/all-v1
CONFIG
} >"$cfg2"
chantal --config "$cfg2" init >/dev/null
assert_exit 0 chantal --config "$cfg2" -q repo sync --all
packages() {  # DB REPO-SQL: name-epoch:version-release.arch sha256, sorted
  sqlite3 "$1" "SELECT p.name || '-' || p.epoch || ':' || p.version || '-' || p.release || '.' || p.arch || ' ' || c.sha256
    FROM packages p JOIN content_items c ON c.id = p.content_id JOIN $2 ORDER BY 1"
}
repo_rows="repository_contents rc ON rc.package_id = p.id JOIN repositories r ON r.id = rc.repository_id WHERE r.repo_id"
snap_main="snapshot_contents sc ON sc.package_id = p.id JOIN snapshots s ON s.id = sc.snapshot_id
  JOIN repositories r ON r.id = s.repository_id WHERE s.name = 's1' AND r.repo_id = 'main'"
view_union="snapshot_contents sc ON sc.package_id = p.id JOIN view_snapshot_members m ON m.snapshot_id = sc.snapshot_id
  JOIN view_snapshots v ON v.id = m.view_snapshot_id WHERE v.name = 'v1'"
original_main=$(packages "$SCRATCH/state/chantal.db" "$snap_main")
original_view=$(packages "$SCRATCH/state/chantal.db" "$view_union" | sort -u)
[[ $(wc -l <<<"$original_main") -ge 9 ]] || fail "expected the 9 packages of main, got: $original_main"
assert_eq "$original_main" "$(packages "$SCRATCH/state2/chantal.db" "$repo_rows = 'main'")" "re-imported main differs"
assert_eq "$original_view" "$(packages "$SCRATCH/state2/chantal.db" "$repo_rows = 'all'")" "re-imported view differs"

# ---------------------------------------------------------------- same bytes as the mount
if [[ -c /dev/fuse && -x $CHANTALFS_BIN ]]; then
  mnt=$SCRATCH/mnt
  mkdir -p "$mnt"
  mount_cleanup "$mnt"
  chantalfs --config "$cfg" "$mnt" -f 2>"$SCRATCH/chantalfs.log" &
  fs_pid=$!
  on_exit "stop_pid $fs_pid"
  wait_until 10 test -d "$mnt/views/all"
  diff -r "$mnt/views/all/snapshots/v1" "$export_root/all-v1" || fail "view export differs from the mount"
  diff -r "$mnt/repos/main/snapshots/s1" "$export_root/main-s1" || fail "snapshot export differs from the mount"
  fusermount3 -u "$mnt"
else
  log "no FUSE here: skipping the mount comparison"
fi
log "ok"
