#!/bin/bash
# chantal config check loads and validates the configuration with the
# loader of every command and touches no storage: a valid config is reported
# (repositories, views, storage paths) without its storage directory, catalogue
# or lock being created; an invalid or missing one exits with status 2 and an
# error naming the file, line and problem; with --format json as one object
# in the CLI's failure vocabulary (status, error, exit_status) with valid: false.
source "$(dirname "$0")/lib.sh"
require_chantal
require_tools python3

state=$SCRATCH/state  # must not be created
cfg=$SCRATCH/config.yaml
cat >"$cfg" <<YAML
database:
  url: sqlite:///$state/catalogue/chantal.db
storage:
  base_path: $state
repositories:
  - id: base
    feed: https://mirror:secret@example.com/base
  - id: extra
    feed: file:///srv/extra
    enabled: false
views:
  - name: all
    repos: [base, extra]
YAML

assert_exit 0 chantal --config "$cfg" config check
assert_contains "$ASSERT_OUT" "repositories"
assert_match "$ASSERT_OUT" "repositories: +2 \(1 enabled\)"
assert_match "$ASSERT_OUT" "views: +1"
assert_contains "$ASSERT_OUT" "$state/pool"
assert_contains "$ASSERT_OUT" "$state/catalogue/chantal.db"
assert_contains "$ASSERT_OUT" "https://example.com/base"
assert_not_contains "$ASSERT_OUT$ASSERT_ERR" "secret"
assert_file_missing "$state"

assert_exit 0 chantal --config "$cfg" --format json config check
report=$ASSERT_OUT
json() { python3 -c 'import json, sys; print(eval(sys.argv[1], {"r": json.loads(sys.stdin.read())}))' "$1" <<<"$report"; }
assert_eq True "$(json 'r["valid"]')"
assert_eq ok "$(json 'r["status"]')"
assert_eq "['base', 'extra']" "$(json '[x["id"] for x in r["repositories"]]')"
assert_eq "['all']" "$(json '[x["name"] for x in r["views"]]')"
assert_eq "$state/pool" "$(json 'r["storage"]["pool_path"]')"
assert_file_missing "$state"
# Global options after the command work as everywhere (CLI11 fallthrough).
assert_exit 0 chantal config check --config "$cfg" -q
assert_file_missing "$state"

# Invalid: an unknown key, named with its file and line; exit status 2.
bad=$SCRATCH/broken.yaml
printf 'storage:\n  base_path: %s\nrepositories:\n  - id: base\n    feed: file:///srv/base\n    colour: blue\n' \
  "$state" >"$bad"
assert_exit 2 chantal --config "$bad" config check
assert_eq "error: $bad:6: unknown key 'colour' in 'repositories[]'" "$ASSERT_ERR"
assert_eq "" "$ASSERT_OUT"
assert_exit 2 chantal --config "$bad" --format json config check
report=$ASSERT_OUT
assert_eq False "$(json 'r["valid"]')"
assert_eq "usage 2" "$(json 'r["status"] + " " + str(r["exit_status"])')"
assert_eq "$bad:6: unknown key 'colour' in 'repositories[]'" "$(json 'r["error"]')"
# A view naming a repository that does not exist.
printf 'storage:\n  base_path: %s\nviews:\n  - name: all\n    repos: [nowhere]\n' "$state" >"$bad"
assert_exit 2 chantal --config "$bad" config check
assert_contains "$ASSERT_ERR" "view 'all' names unknown repository 'nowhere'"
# YAML that does not parse, and a file that is not there.
printf 'storage: [\n' >"$bad"
assert_exit 2 chantal --config "$bad" config check
assert_contains "$ASSERT_ERR" "YAML syntax error"
assert_exit 2 chantal --config "$SCRATCH/missing.yaml" --format json config check
report=$ASSERT_OUT
assert_contains "$(json 'r["error"]')" "$SCRATCH/missing.yaml does not exist"
assert_file_missing "$state"
