#!/bin/bash
# Inode numbers of files in a mounted `latest` (fs/node.h, fs/inode_table.h):
#  - a file numbered by its content row keeps its inode number when latest
#    moves and its bytes stay (plain readdir and stat agree on it);
#  - a content row id that names other bytes after latest moved (as when
#    pool cleanup deleted the row and a later sync got the same id for a
#    rebuilt package at the same path) is served with its new bytes, not the
#    pages the kernel cached for the old ones (the reply carries another
#    inode generation, and the tree's new change time). Checked without
#    passthrough, where the kernel keeps a file's page cache across opens
#    (keep_cache).
source "$(dirname "$0")/lib.sh"
require_tools sqlite3 cmp stat
require_fuse
require_chantal
require_chantalfs
state=$SCRATCH/state
db=$state/chantal.db
cfg=$SCRATCH/config.yaml
synced_config "$cfg" "$state" main

mnt=$SCRATCH/mnt
start_chantalfs "$cfg" "$mnt" -o nopassthrough
latest=$mnt/repos/main/latest
app=chantal-demo-app-1.0-1.noarch.rpm
neighbour=chantal-epoch-1.0-1.noarch.rpm
cmp "$latest/$app" "$FIXTURES/main/$app" || fail "$app differs"
cmp "$latest/$neighbour" "$FIXTURES/main/$neighbour" || fail "$neighbour differs"
readdir_inode() {  # NAME: the inode number a plain readdir of latest gives NAME
  find "$latest/" -maxdepth 1 -name "$1" -printf '%i\n'
}
app_inode=$(stat -c %i "$latest/$app")
neighbour_inode=$(stat -c %i "$latest/$neighbour")
assert_eq "$app_inode" "$(readdir_inode "$app")" "readdir and stat disagree on $app"

# Latest moves; the row of $app now names other bytes of the same size.
row=$(sqlite3 "$db" "SELECT t.content_id FROM repository_contents t JOIN repositories r ON r.id = t.repository_id
                     WHERE r.repo_id = 'main' AND t.path = '$app'")
[[ -n $row ]] || fail "no content row for $app"
filename=$(sqlite3 "$db" "SELECT filename FROM content_items WHERE id = $row")
rebuilt=$SCRATCH/rebuilt.rpm
{ printf 'rebuilt'; tail -c +8 "$FIXTURES/main/$app"; } >"$rebuilt"
cmp -s "$rebuilt" "$FIXTURES/main/$app" && fail "the rebuilt bytes equal the old ones"
sha=$(sha256sum "$rebuilt" | cut -d' ' -f1)
mkdir -p "$state/pool/${sha:0:2}/${sha:2:2}"
cp "$rebuilt" "$state/pool/${sha:0:2}/${sha:2:2}/${sha}_$filename"
sqlite3 "$db" "BEGIN; UPDATE content_items SET sha256 = '$sha' WHERE id = $row;
               UPDATE repositories SET latest_changed_at = latest_changed_at + 10 WHERE repo_id = 'main'; COMMIT;"

serves_rebuilt() { cmp -s "$latest/$app" "$rebuilt"; }
wait_until 10 serves_rebuilt
assert_eq "$app_inode" "$(stat -c %i "$latest/$app")" "the inode number of $app (same path, same content row)"
# The kernel's cached pages of the old bytes are gone, also for a new open.
for _ in 1 2 3; do cmp "$latest/$app" "$rebuilt" || fail "$app served stale bytes after its content row changed"; done
# The neighbour's bytes did not change: same inode number, same bytes.
assert_eq "$neighbour_inode" "$(stat -c %i "$latest/$neighbour")" "the inode number of $neighbour after latest moved"
assert_eq "$neighbour_inode" "$(readdir_inode "$neighbour")" "readdir and stat disagree on $neighbour"
cmp "$latest/$neighbour" "$FIXTURES/main/$neighbour" || fail "$neighbour differs after latest moved"
