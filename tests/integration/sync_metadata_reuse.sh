#!/bin/bash
# Metadata is validated before it is reused: after a good sync, upstream
# republishes its repodata with filelists (then other, then updateinfo)
# truncated or malformed, and a repomd.xml whose checksums match the broken
# file. Every package is already catalogued, so no element of the broken file
# is needed; the sync must still read it to its end, fail with one error
# naming the repo and the file, and leave latest as it was (repo show,
# package list, the exported tree). A fresh catalogue refuses the same input.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_tools createrepo_c sqlite3 python3
make_repos updateinfo
tool() { "$CHANTAL_PYTHON" "$CHANTAL_SOURCE_DIR/tests/fixtures/repodata_tool.py" "$@" || fail "repodata_tool $* failed"; }

served=$SCRATCH/served
mkdir -p "$served"
port=$(start_http_server "$served")
serve() { rm -rf "$served/repo"; cp -a "$FIXTURES/updateinfo" "$served/repo"; }

write_config() {  # write_config STATE_DIR CONFIG_FILE
  { chantal_config_base "$1"; printf 'repositories:\n  - id: reused\n    feed: http://127.0.0.1:%s/repo\n' "$port"; } >"$2"
}
state=$SCRATCH/state
config=$SCRATCH/config.yaml
write_config "$state" "$config"
db=$state/chantal.db

# The state a failed sync must leave: what `repo show` (but its last
# attempt and error), `package list` and an export of latest say.
observed() {
  chantal --config "$config" repo show --repo-id reused | grep -v -e '^last attempt:' -e '^last error:'
  chantal --config "$config" package list --repo-id reused
  rm -rf "$SCRATCH/export"
  chantal --config "$config" -q export --repo-id reused --dest "$SCRATCH/export" >/dev/null
  (cd "$SCRATCH/export" && find . -type f | LC_ALL=C sort | xargs sha256sum)
}

serve
chantal --config "$config" init >/dev/null
assert_exit 0 chantal --config "$config" -q repo sync --repo-id reused
good=$(observed)
assert_contains "$good" "chantal-tilde"
assert_contains "$good" "-filelists.xml.gz"
good_repomd=$(sha256sum <"$FIXTURES/updateinfo/repodata/repomd.xml")
assert_eq "$good_repomd" "$(sha256sum <"$SCRATCH/export/repodata/repomd.xml")"

expect_refused() {  # expect_refused TYPE WHAT: the sync fails naming repo and TYPE's file; latest unchanged
  local type=$1 what=$2 href errors
  href=$(sed -n "/<data type=\"$type\">/,/<\/data>/s/.*<location href=\"\([^\"]*\)\".*/\1/p" "$served/repo/repodata/repomd.xml")
  [[ -n $href ]] || fail "no $type in the served repomd.xml"
  tool check "$served/repo"   # upstream's repomd.xml describes the broken file correctly
  assert_exit 1 chantal --config "$config" repo sync --repo-id reused
  errors=$(grep -c '^error: ' <<<"$ASSERT_ERR" || true)
  assert_eq 1 "$errors" "one error line expected:"$'\n'"$ASSERT_ERR"
  assert_contains "$ASSERT_ERR" "reused: $href"
  assert_contains "$ASSERT_ERR" "$what"
  assert_eq failed "$(sqlite3 "$db" "SELECT status FROM sync_history ORDER BY id DESC LIMIT 1")"
  assert_eq "$good" "$(observed)" "latest changed after a refused $type"
  log "$type ($what): refused"
}

# filelists: gzip stream cut short; then a closing tag misspelt.
serve
tool truncate "$served/repo" filelists 300
expect_refused filelists "truncated gzip"
serve
tool replace "$served/repo" filelists '</package>' '</packag>'
expect_refused filelists " line "

# other: the same two defects.
serve
tool truncate "$served/repo" other 400
expect_refused other "truncated gzip"
serve
tool replace "$served/repo" other '</package>' '</packag>'
expect_refused other " line "

# updateinfo: malformed (its advisories are already catalogued too).
serve
tool replace "$served/repo" updateinfo '</update>' '</updat>'
expect_refused updateinfo " line "

# A fresh catalogue refuses the same input in the same way.
serve
tool truncate "$served/repo" filelists 300
fresh_config=$SCRATCH/fresh.yaml
write_config "$SCRATCH/fresh" "$fresh_config"
chantal --config "$fresh_config" init >/dev/null
assert_exit 1 chantal --config "$fresh_config" repo sync --repo-id reused
assert_contains "$ASSERT_ERR" "truncated gzip"

# Upstream fixes its repodata: the good repomd.xml is the last synced one.
serve
assert_exit 0 chantal --config "$config" repo sync --repo-id reused
assert_contains "$ASSERT_OUT" "up to date"
assert_eq "$(grep -v '^last sync:' <<<"$good")" "$(observed | grep -v '^last sync:')"
log "ok"
