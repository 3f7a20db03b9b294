#!/bin/bash
# The Python Chantal's command forms on real state (synced fixture repos,
# their pool files, published trees, a catalogue of an older schema): each
# gives the same stdout and exit status as our own form, and the commands
# only it had (publish list/unpublish, pool orphaned/missing, db
# init/status/upgrade) report and change what is really there.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_tools createrepo_c python3 sqlite3
make_repos main lib main-v2 updateinfo

state=$SCRATCH/state
moving=$SCRATCH/moving
copy_repo lib "$moving"
config=$SCRATCH/config.yaml
{
  chantal_config_base "$state"
  cat <<YAML
  metadata_grace_period: 0
repositories:
  - id: main
    feed: $(fixture_url main)
  - id: up
    feed: $(fixture_url updateinfo)
  - id: moving
    feed: file://$moving
  - id: off
    feed: $(fixture_url main)
    enabled: false
YAML
} >"$config"
# chantal_config_base ends with the download: block; the grace period belongs to storage:.
python3 - "$config" <<'PY'
import sys
path = sys.argv[1]
lines = open(path).read().split("\n")
grace = lines.index("  metadata_grace_period: 0")
del lines[grace]
lines.insert(lines.index("storage:") + 1, "  metadata_grace_period: 0")
open(path, "w").write("\n".join(lines))
PY
c() { chantal --config "$config" "$@"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); $1" <<<"$ASSERT_OUT" || fail "JSON check failed: $1"$'\n'"$ASSERT_OUT"; }

# same_result OURS... -- PYTHON...: both give the same stdout and exit status.
same_result() {
  local ours=() theirs=() out_ours out_theirs status_ours=0 status_theirs=0
  while [[ $1 != -- ]]; do ours+=("$1"); shift; done
  shift
  theirs=("$@")
  out_ours=$(c "${ours[@]}" 2>/dev/null) || status_ours=$?
  out_theirs=$(c "${theirs[@]}" 2>/dev/null) || status_theirs=$?
  assert_eq "$status_ours" "$status_theirs" "exit status of '${theirs[*]}' (ours: '${ours[*]}')"
  assert_eq "$out_ours" "$out_theirs" "output of '${theirs[*]}' (ours: '${ours[*]}')"
}

log "db init / status on a new catalogue"
assert_exit 0 c --format json db status
json 'assert d["exists"] is False and d["schema_version"] == 0 and len(d["pending_migrations"]) == d["expected_version"], d'
assert_exit 0 c --format json db init
json 'assert d["created"] is True and d["schema_version"] >= 5, d'
expected=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["schema_version"])' <<<"$ASSERT_OUT")
assert_exit 0 c db init
assert_contains "$ASSERT_OUT" "catalogue ready: $state/chantal.db (schema version $expected)"
assert_exit 0 c db status
assert_match "$ASSERT_OUT" "schema version: +$expected"
assert_match "$ASSERT_OUT" "this chantal expects: +$expected"
assert_match "$ASSERT_OUT" "pending migrations: +none"
c init >/dev/null
c -q repo sync --all

log "repo check-updates --pattern is --repo-id / --all"
same_result repo check-updates --repo-id main -- repo check-updates --pattern 'ma*'
same_result --format json repo check-updates --repo-id main -- --format json repo check-updates --pattern 'ma*'
same_result --format json repo check-updates --all -- --format json repo check-updates --pattern '*'
assert_exit 0 c repo check-updates --pattern 'ma*'
assert_contains "$ASSERT_OUT" "main: up to date"
assert_exit 1 c repo check-updates --pattern 'nothing*'
assert_contains "$ASSERT_ERR" "no enabled repository matches 'nothing*'"

log "repo history: --last is --limit; without --repo-id every repository"
same_result repo history --repo-id main --limit 1 -- repo history --repo-id main --last 1
same_result --format json repo history --repo-id up --limit 5 -- --format json repo history --repo-id up --last 5
assert_exit 0 c --format json repo history
json 'assert sorted({r["repo_id"] for r in d}) == ["main", "moving", "up"] and all(r["status"] == "success" for r in d), d'
assert_exit 0 c --format json repo history --last 2
json 'assert len(d) == 2, d'
assert_exit 0 c repo history
assert_match "$ASSERT_OUT" "^REPO +STARTED +STATUS"
assert_exit 2 c repo history --last 0

log "snapshot diff / delete positional, copy --description, content --format csv (real sync)"
c snapshot create --repo-id main --name s1 --description first >/dev/null
same_result snapshot diff --repo-id main --from s1 --to latest -- snapshot diff --repo-id main s1 latest
same_result snapshot content --repo-id main --snapshot s1 -- package list --repo-id main --snapshot s1
same_result content list --repo-id main --snapshot s1 -- package list --repo-id main --snapshot s1
same_result --format json content show chantal-multi -- --format json package show chantal-multi
same_result content search 'chantal-*' -- package search 'chantal-*'
assert_exit 0 c snapshot content --repo-id main --snapshot s1 --format csv
assert_eq "name,epoch,version,release,arch,evr,filename,sha256,size,path,repo_id" "$(head -1 <<<"$ASSERT_OUT" | tr -d '\r')"
assert_eq 10 "$(wc -l <<<"$ASSERT_OUT")"
assert_contains "$ASSERT_OUT" ',chantal-c++-utils-1.0-1.x86_64.rpm,'
assert_not_contains "$ASSERT_OUT" '"chantal-c++-utils'
assert_exit 0 c snapshot copy --repo-id main --source s1 --target s1-copy --description 'copied with a new text'
assert_exit 0 c --format json snapshot show --repo-id main --name s1-copy
json 'assert d["description"] == "copied with a new text", d'
assert_exit 0 c --format json snapshot delete --repo-id main --name s1-copy
deleted_by_name=$ASSERT_OUT
c -q snapshot copy --repo-id main --source s1 --target s1-copy
assert_exit 0 c --format json snapshot delete --repo-id main s1-copy
assert_eq "$deleted_by_name" "$ASSERT_OUT" "snapshot delete NAME"
same_result snapshot delete --repo-id main --name s1-copy -- snapshot delete --repo-id main s1-copy

log "publish repo --all / publish snapshot --snapshot"
assert_exit 0 c --format json publish repo --all
json 'assert [r["tree"] for r in d] == ["repos/main/latest", "repos/up/latest", "repos/moving/latest"], d'
assert_file_exists "$state/published/repos/main/latest/repodata/repomd.xml"
assert_file_missing "$state/published/repos/off"
# Now unchanged: --all gives for each repository what --repo-id gives.
for repo in main up moving; do
  assert_exit 0 c --format json publish repo --repo-id "$repo"
  single=$ASSERT_OUT
  assert_exit 0 c --format json publish repo --all
  python3 - "$repo" "$single" "$ASSERT_OUT" <<'PY' || fail "publish repo --all differs from --repo-id $repo"
import json, sys
repo, single, all_ = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
match = [r for r in all_ if r["tree"] == "repos/%s/latest" % repo][0]
for result in (single, match):
    result.pop("seconds")
assert single == match and single["unchanged"], (single, match)
PY
done
assert_exit 0 c --format json publish snapshot --repo-id main --snapshot s1
json 'assert d["tree"] == "repos/main/snapshots/s1" and not d["unchanged"], d'
by_snapshot=$ASSERT_OUT
assert_exit 0 c publish unpublish --repo-id main --snapshot s1
assert_file_missing "$state/published/repos/main/snapshots"
assert_exit 0 c --format json publish snapshot --repo-id main --name s1
python3 - "$by_snapshot" "$ASSERT_OUT" <<'PY' || fail "publish snapshot --snapshot differs from --name"
import json, sys
a, b = (json.loads(text) for text in sys.argv[1:])
for result in (a, b):
    result.pop("seconds")
assert a == b, (a, b)
PY

log "publish list: every published tree with kind, source, time, size"
assert_exit 0 c --format json publish list
json '
trees = {t["tree"]: t for t in d}
assert sorted(trees) == ["repos/main/latest", "repos/main/snapshots/s1", "repos/moving/latest", "repos/up/latest"], d
s1 = trees["repos/main/snapshots/s1"]
assert s1["kind"] == "snapshot" and s1["repo_id"] == "main" and s1["snapshot"] == "s1", s1
assert trees["repos/main/latest"]["kind"] == "repository" and "snapshot" not in trees["repos/main/latest"]
assert all(t["files"] > 0 and t["bytes"] > 0 for t in d), d'
main_bytes=$(find "$state/published/repos/main/latest" -type f -printf '%s\n' | python3 -c 'import sys; print(sum(int(l) for l in sys.stdin))')
json "assert [t for t in d if t['tree'] == 'repos/main/latest'][0]['bytes'] == $main_bytes, d"
assert_exit 0 c publish list
assert_match "$ASSERT_OUT" "^TREE +KIND +SOURCE +PUBLISHED +FILES +SIZE"
assert_match "$ASSERT_OUT" "repos/main/snapshots/s1 +snapshot +main@s1 +20[0-9-]+"

log "publish unpublish: only trees publish made"
mkdir -p "$state/published/repos/handmade/latest"
echo "not ours" >"$state/published/repos/handmade/latest/index.html"
assert_exit 1 c publish unpublish --repo-id handmade
assert_contains "$ASSERT_ERR" "was not made by chantal publish"
assert_contains "$ASSERT_ERR" "carries no export mark"
assert_file_exists "$state/published/repos/handmade/latest/index.html"
mkdir -p "$state/published/repos/other"
cp -a "$state/published/repos/up/latest" "$state/published/repos/other/latest"
assert_exit 1 c publish unpublish --repo-id other
assert_contains "$ASSERT_ERR" "(it is marked as repos/up/latest)"
assert_file_exists "$state/published/repos/other/latest/repodata/repomd.xml"
assert_exit 1 c publish unpublish --repo-id main --snapshot nope
assert_contains "$ASSERT_ERR" "is not published"
assert_exit 1 c publish unpublish --repo-id .. --snapshot s1
assert_contains "$ASSERT_ERR" "is not a directory name"
assert_exit 1 c --format json publish unpublish --repo-id handmade
json 'assert d["status"] == "failed" and "handmade" in d["error"], d'
assert_exit 0 c --format json publish unpublish --repo-id main
json 'assert d["tree"] == "repos/main/latest" and d["files"] > 0, d'
assert_file_missing "$state/published/repos/main/latest"
assert_file_exists "$state/published/repos/main/snapshots/s1/repodata/repomd.xml"
assert_exit 0 c publish unpublish --repo-id main --snapshot s1
assert_contains "$ASSERT_OUT" "unpublished repos/main/snapshots/s1"
assert_file_missing "$state/published/repos/main"
assert_file_exists "$state/published/repos/up/latest/repodata/repomd.xml"
assert_exit 0 c --format json publish list
json 'assert [t["tree"] for t in d] == ["repos/moving/latest", "repos/up/latest"], d'
assert_exit 0 c -q publish unpublish --repo-id up
assert_eq "" "$ASSERT_OUT"

log "pool orphaned: files outside every tree, as db verify and pool cleanup see them"
assert_exit 0 c --format json pool orphaned
json 'assert d["uncatalogued_files"] == [] and d["unreferenced_content"] == [], d'
stray=$SCRATCH/stray.rpm
echo "a file no catalogue row names" >"$stray"
sum=$(sha256sum "$stray" | cut -d' ' -f1)
mkdir -p "$state/pool/${sum:0:2}/${sum:2:2}"
cp "$stray" "$state/pool/${sum:0:2}/${sum:2:2}/${sum}_stray.rpm"
# The upstream of 'moving' changes twice: the files of its first state leave
# every tree once the grace period (0 s here) has passed at the next switch.
rm -rf "$moving"
copy_repo main-v2 "$moving"
c -q repo sync --repo-id moving
sleep 1.1
rm -rf "$moving"
copy_repo main "$moving"
c -q repo sync --repo-id moving
assert_exit 0 c --format json pool orphaned
json "
import re
assert [f['sha256'] for f in d['uncatalogued_files']] == ['$sum'], d
names = [f['filename'] for f in d['unreferenced_content']]
assert 'chantal-demo-lib-1.0-1.noarch.rpm' in names, d
assert all(n == 'chantal-demo-lib-1.0-1.noarch.rpm' or n == 'repomd.xml' or re.match('[0-9a-f]{64}-', n) for n in names), d
assert d['uncatalogued']['files'] == 1 and d['unreferenced']['files'] == len(names), d"
orphaned=$ASSERT_OUT
assert_exit 0 c --format json db verify
python3 - "$orphaned" "$ASSERT_OUT" <<'PY' || fail "pool orphaned and db verify disagree"
import json, sys
orphaned, verify = (json.loads(text) for text in sys.argv[1:])
assert orphaned["uncatalogued_files"] == verify["uncatalogued_files"], (orphaned, verify)
assert orphaned["unreferenced_content"] == verify["unreferenced_content"], (orphaned, verify)
PY
assert_exit 0 c pool orphaned
assert_match "$ASSERT_OUT" "not in catalogue +[0-9.]+ B +$state/pool/${sum:0:2}/${sum:2:2}/${sum}_stray.rpm"
assert_match "$ASSERT_OUT" "unreferenced +.*chantal-demo-lib-1.0-1.noarch.rpm"
assert_exit 0 c pool cleanup --grace-period 0
assert_exit 0 c --format json pool orphaned
json 'assert d["uncatalogued_files"] == [] and d["unreferenced_content"] == [], d'

log "pool missing: catalogued files whose pool file is gone, by tree path"
assert_exit 0 c --format json pool missing
json 'assert d["ok"] and d["missing"] == [] and d["content_checked"] > 0, d'
lost=$(find "$state/pool" -name '*_chantal-multi-1.1-1.noarch.rpm')
[[ -n $lost ]] || fail "no pool file of chantal-multi-1.1"
rm "$lost"
assert_exit 1 c pool missing
assert_contains "$ASSERT_OUT" "$lost"
assert_match "$ASSERT_OUT" "shown at repos/main/latest/.*chantal-multi-1.1-1.noarch.rpm"
assert_match "$ASSERT_OUT" "shown at repos/main/snapshots/s1/"
assert_contains "$ASSERT_ERR" "1 catalogued files are missing from the pool"
assert_exit 1 c --format json pool missing
json 'assert not d["ok"] and [m["filename"] for m in d["missing"]] == ["chantal-multi-1.1-1.noarch.rpm"], d'
missing_report=$ASSERT_OUT
assert_exit 1 c --format json pool verify
python3 - "$missing_report" "$ASSERT_OUT" <<'PY' || fail "pool missing and pool verify disagree"
import json, sys
missing, verify = (json.loads(text) for text in sys.argv[1:])
assert missing["missing"] == [b for b in verify["bad_content"] if b["problem"] == "missing"], (missing, verify)
PY
c -q repo sync --repo-id main --repair
assert_exit 0 c pool missing

log "db status / upgrade on a catalogue of schema version 2"
old_state=$SCRATCH/old
mkdir -p "$old_state"
sqlite3 "$old_state/chantal.db" <"$CHANTAL_SOURCE_DIR/tests/unit/core/catalogue/data/catalogue_schema_2.sql"
old_config=$SCRATCH/old.yaml
chantal_config_base "$old_state" >"$old_config"
old() { chantal --config "$old_config" "$@"; }
assert_exit 0 old --format json db status
json "assert d['schema_version'] == 2 and d['expected_version'] == $expected and d['exists'], d
assert [m['version'] for m in d['pending_migrations']] == list(range(3, $expected + 1)), d
assert d['pending_migrations'][0]['name'] == 'package format column', d"
assert_exit 0 old db status
assert_match "$ASSERT_OUT" "schema version: +2"
assert_match "$ASSERT_OUT" "pending migrations: +3 package format column, 4 "
assert_eq 2 "$(sqlite3 "$old_state/chantal.db" 'PRAGMA user_version')" "db status must not migrate"
assert_exit 0 old --format json db upgrade
json "assert d['from_version'] == 2 and d['to_version'] == $expected, d
assert [m['version'] for m in d['applied_migrations']] == list(range(3, $expected + 1)), d"
assert_eq "$expected" "$(sqlite3 "$old_state/chantal.db" 'PRAGMA user_version')"
assert_exit 0 old db upgrade
assert_contains "$ASSERT_OUT" "is current (schema version $expected)"
assert_exit 0 old --format json db status
json 'assert d["pending_migrations"] == [], d'
assert_exit 0 old --format json snapshot list --repo-id main
json 'assert len(d) > 0, d'
sqlite3 "$SCRATCH/junk2.db" 'CREATE TABLE t (x INTEGER)'
sed "s|$old_state/chantal.db|$SCRATCH/junk2.db|" "$old_config" >"$SCRATCH/junk.yaml"
assert_exit 1 chantal --config "$SCRATCH/junk.yaml" db status
assert_contains "$ASSERT_ERR" "not a Chantal catalogue"
assert_exit 1 chantal --config "$SCRATCH/junk.yaml" db upgrade
log "ok"
