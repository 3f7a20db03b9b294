#!/bin/bash
# retention: keep-all keeps in latest what upstream removed (dnf still sees it
# in the generated repodata); newest-only bounds versions; new filters
# (size, epochs, license) select end to end; filters that leave nothing warn,
# naming the filter and the nearest upstream arch for a typo.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_tools createrepo_c sqlite3 dnf
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
  - id: keep
    feed: http://127.0.0.1:$port/repo
    retention: {policy: keep-all}
  - id: newest
    feed: http://127.0.0.1:$port/repo
    retention: {policy: newest-only}
  - id: epochs
    feed: http://127.0.0.1:$port/repo
    filters:
      rpm: {epochs: {include: [2]}, licenses: {exclude: [NoSuchLicense]}}
      metadata: {size_bytes: {min: 1}}
  - id: typo
    feed: http://127.0.0.1:$port/repo
    filters:
      metadata: {architectures: {include: [x86-64]}}
YAML
} >"$config"
db=$SCRATCH/state/chantal.db
chantal --config "$config" init >/dev/null

names() { sqlite3 "$db" "SELECT p.name || '-' || p.epoch || ':' || p.version || '.' || p.arch FROM repository_contents rc
  JOIN repositories r ON r.id = rc.repository_id JOIN packages p ON p.id = rc.package_id
  WHERE r.repo_id = '$1' ORDER BY 1" | tr '\n' ' '; }

assert_exit 0 chantal --config "$config" repo sync --all
assert_contains "$ASSERT_ERR" "the filters leave none of upstream's"
assert_contains "$ASSERT_ERR" "filters.metadata.architectures.include [x86-64] passes 0 of"
assert_contains "$ASSERT_ERR" "did you mean 'x86_64' for 'x86-64'?"
assert_not_contains "$ASSERT_ERR" "warning: keep:" "a repo that keeps packages warned"
assert_eq "" "$(names typo)"
assert_eq "chantal-epoch-2:1.0.noarch " "$(names epochs)"
assert_contains "$(names newest)" "chantal-multi-0:2.0.noarch"
assert_not_contains "$(names newest)" "chantal-multi-0:1.1" "newest-only kept an older version"
before=$(names keep)
assert_contains "$before" "chantal-caret-0:1.0^git1.noarch"
assert_contains "$before" "chantal-multi-0:1.1.noarch"

# Upstream drops caret and moves epoch 2:1.0 -> 2:1.1; keep-all keeps both old ones.
rm -rf "$upstream/repo" && cp -a "$FIXTURES/main-v2" "$upstream/repo"
assert_exit 0 chantal --config "$config" -v repo sync --repo-id keep
assert_contains "$ASSERT_OUT$ASSERT_ERR" "retention keep-all: 2 package(s) of latest that upstream no longer lists are kept"
after=$(names keep)
assert_contains "$after" "chantal-caret-0:1.0^git1.noarch"
assert_contains "$after" "chantal-epoch-2:1.0.noarch"
assert_contains "$after" "chantal-epoch-2:1.1.noarch"
assert_contains "$after" "chantal-extra-"
assert_eq "1" "$(sqlite3 "$db" "SELECT generated_tree FROM repositories WHERE repo_id = 'keep'")"

# dnf sees the dropped package in the generated repodata of latest.
assert_exit 0 chantal --config "$config" export --repo-id keep --dest "$SCRATCH/export"
assert_exit 0 dnf_offline --repo "file://$SCRATCH/export" repoquery --qf '%{name}-%{epoch}:%{version}'
assert_contains "$ASSERT_OUT" "chantal-caret-0:1.0^git1"
assert_contains "$ASSERT_OUT" "chantal-epoch-2:1.0"
assert_contains "$ASSERT_OUT" "chantal-extra-"

# A second sync with nothing changed upstream is up to date and keeps them.
assert_exit 0 chantal --config "$config" repo sync --repo-id keep
assert_eq "$after" "$(names keep)"
log "ok"
