#!/bin/bash
# Upstream changes between syncs (package added, removed, updated): latest
# follows exactly (mirror mode), check-updates predicts it without fetching a
# package, and filters (only latest version, no source RPMs) select the set.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_tools createrepo_c sqlite3
make_repos main main-v2
upstream=$SCRATCH/upstream
mkdir -p "$upstream"
cp -a "$FIXTURES/main" "$upstream/repo"
port=$(start_http_server "$upstream")

config=$SCRATCH/config.yaml
{
  chantal_config_base "$SCRATCH/state"
  cat <<YAML
repositories:
  - id: mirror
    feed: http://127.0.0.1:$port/repo
  - id: newest
    feed: http://127.0.0.1:$port/repo
    filters:
      rpm: {exclude_source_rpms: true}
      post_processing: {only_latest_version: true}
  - id: some
    feed: http://127.0.0.1:$port/repo
    filters:
      patterns: {include: ["^chantal-multi$", "tilde"], exclude: ["-1\\\\.1-"]}
YAML
} >"$config"
db=$SCRATCH/state/chantal.db
chantal --config "$config" init >/dev/null
chantal --config "$config" -q repo sync --all >/dev/null

names() { sqlite3 "$db" "SELECT p.name || '-' || p.version || '.' || p.arch FROM repository_contents rc
  JOIN repositories r ON r.id = rc.repository_id JOIN packages p ON p.id = rc.package_id
  WHERE r.repo_id = '$1' ORDER BY 1" | tr '\n' ' '; }
assert_eq "chantal-c++-utils-1.0.x86_64 chantal-caret-1.0^git1.noarch chantal-demo-app-1.0.noarch chantal-demo-app-1.0.src chantal-epoch-1.0.noarch chantal-multi-1.0.noarch chantal-multi-1.1.noarch chantal-multi-2.0.noarch chantal-tilde-1.0~rc1.noarch " "$(names mirror)"
assert_eq "chantal-c++-utils-1.0.x86_64 chantal-caret-1.0^git1.noarch chantal-demo-app-1.0.noarch chantal-epoch-1.0.noarch chantal-multi-2.0.noarch chantal-tilde-1.0~rc1.noarch " "$(names newest)"
assert_eq "chantal-multi-1.0.noarch chantal-multi-2.0.noarch chantal-tilde-1.0~rc1.noarch " "$(names some)"
# Filtered repos are generated trees: packages at Packages/<first letter>/.
path=$(sqlite3 "$db" "SELECT path FROM repository_contents rc JOIN repositories r ON r.id = rc.repository_id
                      WHERE r.repo_id = 'some' AND role = 'package' ORDER BY path LIMIT 1")
assert_eq "Packages/c/chantal-multi-1.0-1.noarch.rpm" "$path"

# Upstream moves on: caret removed, epoch 2:1.0 -> 2:1.1, extra added.
rm -rf "$upstream/repo" && cp -a "$FIXTURES/main-v2" "$upstream/repo"
assert_exit 0 chantal --config "$config" --format json repo check-updates --repo-id mirror
python3 - "$ASSERT_OUT" <<'PY'
import json, sys
check = json.loads(sys.argv[1])[0]
assert [c["name"] for c in check["added"]] == ["chantal-extra"], check
assert [c["name"] for c in check["removed"]] == ["chantal-caret"], check
assert [(c["name"], c["from"], c["to"]) for c in check["upgraded"]] == [("chantal-epoch", "2:1.0-1", "2:1.1-1")], check
assert check["download_files"] == 2, check
# The words and keys of `snapshot diff` and `repo sync`: null for a missing EVR.
assert check["status"] == "changes" and check["unchanged"] == 7, check
assert check["added"][0]["from"] is None and check["removed"][0]["to"] is None, check
PY
assert_exit 0 chantal --config "$config" repo check-updates --repo-id mirror
assert_contains "$ASSERT_OUT" "mirror: a sync would bring 1 upgraded, 1 added, 1 removed, 7 unchanged; 2 files"
before=$(names mirror)
assert_eq "$before" "$(names mirror)" "check-updates must not change latest"

assert_exit 0 chantal --config "$config" repo sync --repo-id mirror
assert_contains "$ASSERT_OUT" "mirror: 1 upgraded, 1 added, 1 removed, 7 unchanged"
assert_eq "chantal-c++-utils-1.0.x86_64 chantal-demo-app-1.0.noarch chantal-demo-app-1.0.src chantal-epoch-1.1.noarch chantal-extra-1.0.noarch chantal-multi-1.0.noarch chantal-multi-1.1.noarch chantal-multi-2.0.noarch chantal-tilde-1.0~rc1.noarch " "$(names mirror)"
# The removed package stays in the pool (snapshots may hold it) until pool cleanup.
assert_eq 1 "$(find "$SCRATCH/state/pool" -name '*chantal-caret*' | wc -l)"

# Changing a repo's filters re-selects even though upstream did not change.
sed -i 's/only_latest_version: true/only_latest_n_versions: 2/' "$config"
chantal --config "$config" -q repo sync --repo-id newest >/dev/null
assert_contains "$(names newest)" "chantal-multi-1.1.noarch chantal-multi-2.0.noarch"
log "ok"
