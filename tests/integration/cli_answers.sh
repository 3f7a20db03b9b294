#!/bin/bash
# What an admin sees and types: typos in filter values are usage errors
# (exit 2) that name the value; -q prints nothing on success (the cron line),
# -v times each stage; --format json prints a JSON result with an "error"
# field on failure too; check-updates --all goes on past a failing repo;
# a repo another sync holds is reported busy and skipped (exit 3), not
# failed; repo list/show tell a failed last sync; an up-to-date filtered repo
# reports its generated tree; unknown commands are named with a suggestion;
# new snapshot names are restricted to [A-Za-z0-9._-].
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_tools createrepo_c flock python3
make_repos main updateinfo

config=$SCRATCH/config.yaml
{
  chantal_config_base "$SCRATCH/state"
  cat <<YAML
repositories:
  - id: main
    feed: $(fixture_url main)
  - id: up
    feed: $(fixture_url updateinfo)
  - id: filtered
    feed: $(fixture_url main)
    filters:
      rpm: {exclude_source_rpms: true}
YAML
} >"$config"
broken_config=$SCRATCH/broken.yaml
{
  cat "$config"
  printf '  - id: broken\n    feed: file://%s/no-such-repo\n' "$SCRATCH"
} >"$broken_config"
json() { python3 -c "import json,sys; d=json.load(sys.stdin); $1" <<<"$ASSERT_OUT" || fail "JSON check failed: $1"$'\n'"$ASSERT_OUT"; }
chantal --config "$config" init >/dev/null

log "-q: a successful sync prints nothing at all (cron mails only failures)"
assert_exit 0 chantal --config "$config" -q repo sync --all
assert_eq "" "$ASSERT_OUT"
assert_eq "" "$ASSERT_ERR"
log "-v: each stage with its time"
assert_exit 0 chantal --config "$config" -v repo sync --repo-id main
assert_match "$ASSERT_ERR" "main: fetching the upstream index from file://[^ ]* took [0-9.]+ s"
assert_contains "$ASSERT_OUT" "main: up to date (9 packages"

log "an up-to-date filtered repo still says its tree is generated"
assert_exit 0 chantal --config "$config" --format json repo sync --repo-id filtered
json 'r=d[0]; assert r["status"] == "up_to_date" and r["tree"] == "generated", r'
assert_exit 0 chantal --config "$config" repo sync --repo-id filtered
assert_contains "$ASSERT_OUT" "filtered: up to date ("
assert_contains "$ASSERT_OUT" "; generated tree)"

log "errata list: typos are usage errors naming the value"
assert_exit 2 chantal --config "$config" errata list --repo-id up --type secuirty
assert_contains "$ASSERT_ERR" "--type: unknown value 'secuirty'; did you mean 'security'?"
assert_exit 2 chantal --config "$config" errata list --repo-id up --severity Importnat
assert_contains "$ASSERT_ERR" "did you mean 'important'?"
assert_exit 2 chantal --config "$config" errata list --repo-id up --since 2025-13-45
assert_contains "$ASSERT_ERR" "'2025-13-45' is not a date as YYYY-MM-DD"
assert_exit 2 chantal --config "$config" errata list --repo-id up --since 2025-02-30
assert_exit 0 chantal --config "$config" errata list --repo-id up --type SECURITY --severity important --since 2000-01-01
assert_exit 2 chantal --config "$config" --format json errata list --repo-id up --type secuirty
json 'assert d["status"] == "usage" and "secuirty" in d["error"] and d["exit_status"] == 2, d'

log "unknown commands are named, with the nearest one"
assert_exit 2 chantal --config "$config" repo lst
assert_contains "$ASSERT_ERR" "error: unknown command 'lst' for 'chantal repo'; did you mean 'list'?"
assert_exit 2 chantal --config "$config" validate
assert_contains "$ASSERT_ERR" "error: unknown command 'validate' for 'chantal'; did you mean 'config check'?"
assert_exit 2 chantal --config "$config" sync --all
assert_contains "$ASSERT_ERR" "error: unknown command 'sync' for 'chantal'; did you mean 'repo sync'?"
assert_exit 2 chantal --config "$config" frobnicate
assert_contains "$ASSERT_ERR" "(commands: completion, config, content, db, errata"
assert_not_contains "$ASSERT_ERR" "A subcommand is required"

log "--format json on failure: a JSON result with an error field"
assert_exit 1 chantal --config "$broken_config" --format json repo sync --repo-id broken
json 'assert d == [{"repo_id": "broken", "status": "failed", "error": d[0]["error"]}] and "broken" in d[0]["error"], d'
assert_contains "$ASSERT_ERR" "error: repo broken"
assert_exit 1 chantal --config "$config" --format json snapshot show --repo-id main --name nope
json 'assert d["status"] == "failed" and "nope" in d["error"] and d["exit_status"] == 1, d'

log "check-updates --all goes on past a failing repo and reports each"
assert_exit 1 chantal --config "$broken_config" --format json repo check-updates --all
json 'by = {r["repo_id"]: r["status"] for r in d}; assert by == {"main": "up_to_date", "up": "up_to_date", "filtered": "up_to_date", "broken": "failed"}, d'
assert_exit 1 chantal --config "$broken_config" repo check-updates --all
assert_contains "$ASSERT_OUT" "main: up to date"
assert_contains "$ASSERT_OUT" "filtered: up to date"
assert_contains "$ASSERT_ERR" "1 of 4 repositories failed to check for updates: broken"

log "repo list and show tell the failed last sync"
assert_exit 1 chantal --config "$broken_config" repo sync --repo-id broken
assert_exit 0 chantal --config "$broken_config" repo list
assert_match "$ASSERT_OUT" "broken +broken +mirror +yes +0 +0 B +never +failed"
assert_match "$ASSERT_OUT" "main .* success"
assert_exit 0 chantal --config "$broken_config" repo show --repo-id broken
assert_match "$ASSERT_OUT" "last error: +repo broken"

log "a repo another sync holds is busy and skipped (exit 3), the others sync"
mkdir -p "$SCRATCH/state/tmp"
exec 9>"$SCRATCH/state/tmp/sync-up.lock"
flock -x -n 9 || fail "could not take the sync lock of repo up"
assert_exit 3 chantal --config "$config" repo sync --all
assert_contains "$ASSERT_OUT" "main: up to date"
assert_contains "$ASSERT_ERR" "warning: skipped: a sync of repo up is already running"
assert_contains "$ASSERT_ERR" "1 of 3 repositories busy (another chantal holds them), skipped: up"
assert_not_contains "$ASSERT_ERR" "error:"
assert_exit 3 chantal --config "$config" --format json repo sync --all
json 'by = {r["repo_id"]: r["status"] for r in d}; assert by == {"main": "up_to_date", "up": "busy", "filtered": "up_to_date"}, d'
assert_exit 3 chantal --config "$config" repo sync --repo-id up
assert_contains "$ASSERT_ERR" "error: a sync of repo up is already running"
assert_exit 1 chantal --config "$broken_config" repo sync --all
assert_contains "$ASSERT_ERR" "1 of 4 repositories failed to sync: broken; 1 of 4 repositories busy"
flock -u 9
exec 9>&-
assert_exit 0 chantal --config "$config" -q repo sync --repo-id up

log "snapshot names: [A-Za-z0-9._-] only"
assert_exit 1 chantal --config "$config" snapshot create --repo-id main --name "june release"
assert_contains "$ASSERT_ERR" "snapshot name 'june release' may contain only letters"
assert_exit 0 chantal --config "$config" -q snapshot create --repo-id main --name 2026-06.rc_1
assert_eq "" "$ASSERT_OUT"
