#!/bin/bash
# Bad upstreams give one clear error and lose nothing: HTTP 404/500, closed
# and stalled transfers (retried and resumed), wrong bytes, truncated and
# hostile metadata (.., file://, XXE, billion laughs, decompression bomb).
# After every failure the repo's latest is exactly the previous state.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_tools createrepo_c sqlite3 python3
make_repos main main-v2 xz hostile-dotdot hostile-scheme hostile-xxe hostile-laughs hostile-bomb escape-sibling
served=$SCRATCH/served
mkdir -p "$served"
port=$(start_fault_server "$served" --stall-seconds 20)
stats() { curl -s "http://127.0.0.1:$port/_stats"; }

state=$SCRATCH/state
config=$SCRATCH/config.yaml
write_config() {  # write_config FEED_PATH
  { chantal_config_base "$state"; printf 'repositories:\n  - id: up\n    feed: http://127.0.0.1:%s/%s\n' "$port" "$1"; } >"$config"
  sed -i 's/timeout: 10/timeout: 2/' "$config"
}
db=$state/chantal.db
names() { sqlite3 "$db" "SELECT group_concat(path, ' ') FROM (SELECT rc.path FROM repository_contents rc
  JOIN repositories r ON r.id = rc.repository_id WHERE r.repo_id = 'up' ORDER BY rc.path)"; }
serve() { rm -rf "$served/repo"; cp -a "$FIXTURES/$1" "$served/repo"; }

serve main
write_config repo
chantal --config "$config" init >/dev/null
chantal --config "$config" -q repo sync --repo-id up >/dev/null
good=$(names)
[[ $good == *chantal-tilde* ]] || fail "initial sync incomplete: $good"

expect_failure() {  # expect_failure "message part" : sync fails with it, latest unchanged
  assert_exit 1 chantal --config "$config" repo sync --repo-id up
  assert_contains "$ASSERT_ERR" "error: "
  assert_contains "$ASSERT_ERR" "$1"
  assert_eq "$good" "$(names)" "latest changed after a failed sync"
  history=$(sqlite3 "$db" "SELECT status FROM sync_history ORDER BY id DESC LIMIT 1")
  assert_eq failed "$history"
}

# A new package that is gone upstream (404): the sync fails, naming it.
serve main-v2
rm "$served/repo/chantal-extra-1.0-1.noarch.rpm"
expect_failure "chantal-extra-1.0-1.noarch.rpm"
assert_contains "$ASSERT_ERR" "could not be fetched; latest is unchanged"

# Wrong bytes in a new package: checksum mismatch, nothing half-stored.
cp "$FIXTURES/main-v2/chantal-extra-1.0-1.noarch.rpm" "$served/repo/"
python3 - "$served/repo/chantal-extra-1.0-1.noarch.rpm" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[-10] ^= 0xff; open(p, "wb").write(b)
PY
expect_failure "checksum"
[[ -z $(find "$state/pool" -name '*chantal-extra*') ]] || fail "a corrupt package reached the pool"

# Truncated metadata (metadata the pool does not have yet): size/checksum mismatch.
serve xz
primary=$(ls "$served/repo/repodata/"*-primary.xml.xz)
truncate -s 100 "$primary"
expect_failure "primary"

# Server errors: 500 for every request -> clear error naming the URL.
serve main
write_config fault/500/repo
expect_failure "500"
# ... but transient ones (500 twice, then OK; connection closed mid-body once) are retried and resumed.
write_config fault/500x2/repo
assert_exit 0 chantal --config "$config" repo sync --repo-id up
write_config fault/closex1/repo
rm -rf "$state/pool"/* && sqlite3 "$db" "UPDATE repositories SET last_sync_key = NULL; UPDATE packages SET content_id = NULL; DELETE FROM repository_contents; DELETE FROM content_items;"
curl -s "http://127.0.0.1:$port/_reset" >/dev/null
assert_exit 0 chantal --config "$config" repo sync --repo-id up
stats | python3 -c '
import json, sys
s = json.load(sys.stdin)
resumed = [p for p, e in s.items() if p.endswith(".rpm") and e["range_requests"] > 0]
assert resumed, "no package was resumed with a Range request: %s" % s
'
# A stalled transfer times out (download.timeout: 2 s) and is retried.
write_config fault/stallx1/repo
sqlite3 "$db" "UPDATE repositories SET last_sync_key = NULL"
rm -f "$state"/pool/*/*/*chantal-epoch*
sqlite3 "$db" "UPDATE packages SET content_id = NULL WHERE name = 'chantal-epoch'; DELETE FROM content_items WHERE filename LIKE 'chantal-epoch%'"
assert_exit 0 chantal --config "$config" repo sync --repo-id up
good=$(names)

# Hostile metadata: each refused with a clear error, previous state intact.
write_config repo
serve hostile-scheme;  expect_failure "refused location"
serve hostile-xxe;     expect_failure "primary"
assert_not_contains "$ASSERT_ERR" "root:x:0"
serve hostile-laughs;  expect_failure "primary"
serve hostile-bomb;    expect_failure "exceeds the limit"
# From a file:// feed an href that leaves the feed directory would read
# arbitrary local files: refused.
{ chantal_config_base "$state"; printf 'repositories:\n  - id: up\n    feed: file://%s/repo\n' "$served"; } >"$config"
serve hostile-dotdot;  expect_failure "refused location"

# Over http the same href is only a URL on the same server: the repo falls
# back to a generated tree, with a warning (the package itself is already
# pooled, so nothing is fetched from the escaped location).
write_config repo
assert_exit 0 chantal --config "$config" repo sync --repo-id up
assert_contains "$ASSERT_ERR" "leave the repository tree"
assert_eq 1 "$(sqlite3 "$db" "SELECT generated_tree FROM repositories WHERE repo_id = 'up'")"
assert_contains "$(names)" "Packages/c/chantal-tilde-1.0~rc1-1.noarch.rpm"
assert_not_contains "$(names)" "passwd"
[[ -z $(find "$state/pool" -name '*passwd*') ]] || fail "/etc/passwd reached the pool"
log "ok"
