#!/bin/bash
# Snapshots, views and diff on repos synced from real createrepo_c upstreams:
# a snapshot never changes after upstream does, diff reports epochs and
# removed/added packages by rpm order, a view snapshot covers every member,
# delete guards, name validation and JSON output.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_tools createrepo_c sqlite3 python3
make_repos main main-v2 lib
served=$SCRATCH/served
mkdir -p "$served"
cp -a "$FIXTURES/main" "$served/main"
cp -a "$FIXTURES/lib" "$served/lib"
port=$(start_http_server "$served")
config=$SCRATCH/config.yaml
{
  chantal_config_base "$SCRATCH/state"
  cat <<YAML
repositories:
  - id: main
    feed: http://127.0.0.1:$port/main
  - id: lib
    feed: http://127.0.0.1:$port/lib
views:
  - name: all
    repos: [main, lib]
YAML
} >"$config"
c() { chantal --config "$config" "$@"; }
c init >/dev/null
c -q repo sync --all >/dev/null
nevras() { python3 -c 'import json,sys; print(" ".join(sorted(p["name"] + "-" + p["evr"] + "." + p["arch"] for p in json.load(sys.stdin))))'; }

assert_exit 0 c snapshot create --repo-id main --name 2025-05 --description "before the update"
assert_exit 0 c snapshot create --view all --name 2025-05
assert_exit 0 c --format json package list --repo-id main --snapshot 2025-05
before=$(nevras <<<"$ASSERT_OUT")
assert_contains "$before" "chantal-caret-1.0^git1-1.noarch"

# Upstream moves on; latest follows, the snapshots do not.
rm -rf "$served/main" && cp -a "$FIXTURES/main-v2" "$served/main"
c -q repo sync --repo-id main >/dev/null
assert_exit 0 c --format json package list --repo-id main --snapshot 2025-05
assert_eq "$before" "$(nevras <<<"$ASSERT_OUT")" "snapshot changed after upstream did"
assert_exit 0 c --format json package list --repo-id main
assert_not_contains "$(nevras <<<"$ASSERT_OUT")" "chantal-caret"
assert_exit 0 c --format json package list --view all --snapshot 2025-05
assert_contains "$(nevras <<<"$ASSERT_OUT")" "chantal-caret-1.0^git1-1.noarch"
assert_contains "$(nevras <<<"$ASSERT_OUT")" "chantal-demo-lib"

assert_exit 0 c --format json snapshot diff --repo-id main --from 2025-05 --to latest
python3 - "$ASSERT_OUT" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
names = lambda key: sorted(c["name"] for c in d[key])
assert names("added") == ["chantal-extra"], d
assert names("removed") == ["chantal-caret"], d
assert [(c["name"], c["from"], c["to"]) for c in d["upgraded"]] == [("chantal-epoch", "2:1.0-1", "2:1.1-1")], d
assert d["downgraded"] == [], d
PY
# Reverse direction is a downgrade.
assert_exit 0 c --format json snapshot diff --repo-id main --from latest --to 2025-05
python3 -c 'import json,sys; d=json.load(sys.stdin); assert [c["name"] for c in d["downgraded"]]==["chantal-epoch"], d' <<<"$ASSERT_OUT"

# The view snapshot took one snapshot of each member.
assert_exit 0 c --format json snapshot show --view all --name 2025-05
python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["members"])==2, d' <<<"$ASSERT_OUT"
# Delete guard: a member snapshot of a view snapshot is refused without --force.
member=$(sqlite3 "$SCRATCH/state/chantal.db" "SELECT s.name FROM snapshots s JOIN repositories r ON r.id = s.repository_id
                                                WHERE r.repo_id = 'lib'")
assert_exit 1 c snapshot delete --repo-id lib --name "$member"
assert_contains "$ASSERT_ERR" "all"
# Names: a duplicate and a bad name are refused, nothing overwritten.
assert_exit 1 c snapshot create --repo-id main --name 2025-05
assert_contains "$ASSERT_ERR" "already has a snapshot"
assert_exit 1 c snapshot create --repo-id main --name ../x
assert_exit 1 c snapshot create --repo-id main --name latest
# Promotion: copy testing -> stable; the copy is immutable too.
assert_exit 0 c snapshot copy --repo-id main --source 2025-05 --target stable
assert_exit 0 c --format json package list --repo-id main --snapshot stable
assert_eq "$before" "$(nevras <<<"$ASSERT_OUT")"
assert_exit 0 c --format json snapshot list --repo-id main
python3 -c 'import json,sys; assert sorted(s["name"] for s in json.load(sys.stdin))==["2025-05","all-2025-05","stable"]' <<<"$ASSERT_OUT" ||
  fail "snapshot list: $ASSERT_OUT"
log "ok"
