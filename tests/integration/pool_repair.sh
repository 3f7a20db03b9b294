#!/bin/bash
# Repairing the pool (docs/maintenance.md, "Repairing the pool"): runs the
# recovery steps exactly as that page writes them, on a pool with
#   - a package of latest deleted and a metadata file of latest deleted:
#     db verify and pool verify report them, a plain repo sync fetches them
#     again (not "up to date"), keeps latest and says so in repo history;
#   - a package of latest damaged in place (same size) and a package only a
#     snapshot holds damaged the same way: pool verify reports them by tree
#     path, repo sync --repair restores both from upstream;
#   - then a package only a snapshot holds and upstream no longer has:
#     pool verify and repo sync --repair name it by tree path and exit 1;
#     a good copy put back by hand (the page's advice) makes pool verify pass.
# chantalfs gives EIO for the missing file and reads the repaired bytes
# afterwards, without a remount.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_tools sqlite3 cmp
require_fuse
require_chantal
require_chantalfs
make_repos main main-v2

upstream=$SCRATCH/upstream
mkdir -p "$upstream"
cp -a "$FIXTURES/main" "$upstream/repo"
port=$(start_http_server "$upstream")
state=$SCRATCH/state
db=$state/chantal.db
cfg=$SCRATCH/config.yaml
write_config() {  # FILTERS: the repo's filters: block (or nothing)
  {
    chantal_config_base "$state"
    printf 'repositories:\n  - id: main\n    feed: http://127.0.0.1:%s/repo\n%s\n' "$port" "$1"
    printf 'views:\n  - name: all\n    repos: [main]\n'
  } >"$cfg"
}
write_config ""
run() { chantal --config "$cfg" "$@"; }
run init >/dev/null

# Snapshot s1 of upstream v1 (mirror), then upstream moves to v2 (caret
# dropped, epoch 1.0 -> 1.1, extra added) and the repo stops taking
# chantal-multi: s1 alone holds chantal-multi-* (upstream still has them) and
# chantal-caret (upstream dropped it).
assert_exit 0 run -q repo sync --repo-id main
assert_exit 0 run -q snapshot create --repo-id main --name s1
rm -rf "$upstream/repo" && cp -a "$FIXTURES/main-v2" "$upstream/repo"
write_config '    filters: {patterns: {exclude: ["^chantal-multi$"]}}'
assert_exit 0 run -q repo sync --repo-id main
assert_exit 0 run repo sync --repo-id main
assert_contains "$ASSERT_OUT" "main: up to date"

pool_file() { find "$state/pool" -type f -name "*_$1"; }
flip_byte() {  # FILE: damage one byte in place (same size)
  "$CHANTAL_PYTHON" - "$1" <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(200)
    b = f.read(1)
    f.seek(200)
    f.write(bytes([b[0] ^ 0x20]))
PY
}
app=chantal-demo-app-1.0-1.noarch.rpm
utils=chantal-c++-utils-1.0-1.x86_64.rpm
multi=chantal-multi-1.0-1.noarch.rpm
caret='chantal-caret-1.0^git1-1.noarch.rpm'
app_pool=$(pool_file "$app")
utils_pool=$(pool_file "$utils")
multi_pool=$(pool_file "$multi")
caret_pool=$(pool_file "$caret")
other_name=$(sqlite3 "$db" "SELECT ci.sha256 || '_' || ci.filename FROM repository_contents rc
  JOIN content_items ci ON ci.id = rc.content_id JOIN repositories r ON r.id = rc.repository_id
  WHERE r.repo_id = 'main' AND rc.metadata_type = 'other'")
other_pool=$state/pool/${other_name:0:2}/${other_name:2:2}/$other_name
assert_file_exists "$app_pool" "$utils_pool" "$multi_pool" "$caret_pool" "$other_pool"
cp "$caret_pool" "$SCRATCH/caret-good.rpm"

mnt=$SCRATCH/mnt
mkdir -p "$mnt"
mount_cleanup "$mnt"
"$CHANTALFS_BIN" --config "$cfg" "$mnt" -f 2>>"$SCRATCH/chantalfs.log" &
fs_pid=$!
on_exit "stop_pid $fs_pid"
wait_until 10 test -d "$mnt/repos/main/latest"

rm "$app_pool" "$other_pool"
flip_byte "$utils_pool"
flip_byte "$multi_pool"
assert_exit 1 cat "$mnt/repos/main/latest/Packages/c/$app"
assert_contains "$ASSERT_ERR" "Input/output error"
changed_at() { sqlite3 "$db" "SELECT latest_changed_at FROM repositories WHERE repo_id = 'main'"; }
latest_rows() { sqlite3 "$db" "SELECT path, content_id FROM repository_contents rc JOIN repositories r ON r.id = rc.repository_id WHERE r.repo_id = 'main' ORDER BY path"; }
changed_before=$(changed_at)
rows_before=$(latest_rows)

# ------------------------------------------------------------ the page's recovery steps, as written
mapfile -t steps < <(awk '/<!-- recovery-steps/ {f = 1; next} f && /^```sh/ {g = 1; next} g && /^```/ {exit} g {print}' \
  "$CHANTAL_SOURCE_DIR/docs/maintenance.md")
assert_eq 5 "${#steps[@]}" "docs/maintenance.md has five recovery steps"
step() {  # N EXPECTED_EXIT: run step N of the page with REPO=main
  local line=${steps[$1 - 1]%%#*}
  local -a words
  read -r -a words <<<"${line//REPO/main}"
  [[ ${words[0]} == chantal ]] || fail "step $1 is not a chantal command: ${steps[$1 - 1]}"
  log "step $1: ${words[*]}"
  assert_exit "$2" run "${words[@]:1}"
}

step 1 1   # db verify: the two deleted files (sizes only: the damaged ones look fine)
assert_contains "$ASSERT_OUT" "missing: $app_pool"
assert_contains "$ASSERT_OUT" "missing: $other_pool"
assert_contains "$ASSERT_OUT" "held by repo main latest: Packages/c/$app"
assert_contains "$ASSERT_OUT" "held by repo main snapshot s1: $app"
assert_not_contains "$ASSERT_OUT" "$utils_pool"
assert_contains "$ASSERT_ERR" "error: catalogue $db failed verification: 2 problems: 2 missing"

step 2 1   # pool verify: all four, by tree path
assert_contains "$ASSERT_OUT" "missing: repos/main/latest/Packages/c/$app"
assert_contains "$ASSERT_OUT" "  also repos/main/snapshots/s1/$app"
assert_contains "$ASSERT_OUT" "  also views/all/latest/Packages/c/$app"
assert_contains "$ASSERT_OUT" "missing: repos/main/latest/repodata/${other_name:65}"
assert_contains "$ASSERT_OUT" "bad checksum: repos/main/latest/Packages/c/$utils"
assert_contains "$ASSERT_OUT" "bad checksum: repos/main/snapshots/s1/$multi"
assert_contains "$ASSERT_OUT" "  pool file $utils_pool"
assert_contains "$ASSERT_OUT" "4 problems: 2 bad checksum, 2 missing"
assert_contains "$ASSERT_ERR" "error: pool $state/pool failed verification"

step 3 0   # repo sync: upstream unchanged, yet not "up to date": the two missing files come back
assert_not_contains "$ASSERT_OUT" "up to date"
assert_contains "$ASSERT_OUT" "main: 6 unchanged; re-fetched 2 missing pool file(s)"
assert_file_exists "$app_pool" "$other_pool"
cmp "$app_pool" "$FIXTURES/main-v2/$app" || fail "re-fetched $app differs from upstream"
cmp "$mnt/repos/main/latest/Packages/c/$app" "$FIXTURES/main-v2/$app" || fail "$app not readable through the mount"
assert_eq "$changed_before" "$(changed_at)" "a re-fetch must not move latest's change time"
assert_eq "$rows_before" "$(latest_rows)" "a re-fetch must not change latest"
assert_exit 0 run repo history --repo-id main --limit 1
assert_contains "$ASSERT_OUT" "re-fetched 2 pool file(s) of latest"
assert_exit 0 run repo sync --repo-id main   # now it is up to date (the damaged bytes have the right size)
assert_contains "$ASSERT_OUT" "main: up to date"

step 4 0   # repo sync --repair: the damaged package of latest and the one only s1 holds
assert_contains "$ASSERT_OUT" "repaired: repos/main/latest/Packages/c/$utils (bad checksum)"
assert_contains "$ASSERT_OUT" "  also repos/main/snapshots/s1/$utils"
assert_contains "$ASSERT_OUT" "repaired: repos/main/snapshots/s1/$multi (bad checksum)"
assert_contains "$ASSERT_OUT" "main: checked "
assert_contains "$ASSERT_OUT" "2 repaired, 0 not repaired; 2 files"
cmp "$utils_pool" "$FIXTURES/main-v2/$utils" || fail "repaired $utils differs from upstream"
cmp "$multi_pool" "$FIXTURES/main/$multi" || fail "repaired $multi differs from upstream"
cmp "$mnt/repos/main/latest/Packages/c/$utils" "$FIXTURES/main-v2/$utils" || fail "$utils through the mount"
cmp "$mnt/repos/main/snapshots/s1/$multi" "$FIXTURES/main/$multi" || fail "$multi through the mount"
assert_eq "$changed_before" "$(changed_at)" "repair must not move latest's change time"
assert_eq "$rows_before" "$(latest_rows)" "repair must not change latest"

step 5 0   # pool verify: everything referenced is intact
assert_contains "$ASSERT_OUT" "no problems"

# ------------------------------------------------------------ a file upstream no longer has
flip_byte "$caret_pool"
step 2 1
assert_contains "$ASSERT_OUT" "bad checksum: repos/main/snapshots/s1/$caret"
step 4 1
assert_contains "$ASSERT_OUT" "not repaired: repos/main/snapshots/s1/$caret (bad checksum): upstream no longer has it"
assert_contains "$ASSERT_OUT" "0 repaired, 1 not repaired"
assert_contains "$ASSERT_ERR" "error: repo main: 1 pool file(s) could not be repaired, e.g. repos/main/snapshots/s1/$caret (upstream no longer has it)"
assert_eq 1 "$(grep -c '^error: ' <<<"$ASSERT_ERR")" "one error line"
assert_exit 1 run --format json repo sync --repo-id main --repair
"$CHANTAL_PYTHON" - "$ASSERT_OUT" "$caret" <<'PY'
import json, sys
report = json.loads(sys.argv[1])[0]
assert report["status"] == "failed", report
assert report["repaired"] == [], report
[bad] = report["not_repaired"]
assert bad["reason"] == "upstream no longer has it", bad
assert bad["tree_paths"] == ["repos/main/snapshots/s1/" + sys.argv[2]], bad
PY
# The page's advice: a good copy over the pool file, then step 5 passes.
cp "$SCRATCH/caret-good.rpm" "$caret_pool"
step 5 0
assert_exit 0 run --format json pool verify
assert_contains "$ASSERT_OUT" '"ok": true'

fusermount3 -u "$mnt"
wait "$fs_pid" || fail "chantalfs exited with status $?"
log "ok"
