#!/bin/bash
# kill -9 in the middle of a large download: latest keeps its previous
# complete state, nothing half-written is in the pool, and the next sync
# resumes the partial file with an HTTP Range request instead of starting over.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_tools rpmbuild createrepo_c sqlite3 python3 curl
make_repos main

# A 24 MiB package with an uncompressed payload (fast to build).
top=$SCRATCH/rpmbuild
mkdir -p "$top/SPECS"
cat >"$top/SPECS/big.spec" <<'SPEC'
Name: chantal-big
Version: 1.0
Release: 1
Summary: A large package for resume tests
License: MIT
BuildArch: noarch
AutoReq: no
%global _binary_payload w0.ufdio
%description
Large.
%install
mkdir -p %{buildroot}/usr/share/chantal-big
head -c 25165824 /dev/urandom > %{buildroot}/usr/share/chantal-big/blob
%files
/usr/share/chantal-big/blob
SPEC
rpmbuild -bb --quiet --define "_topdir $top" "$top/SPECS/big.spec" >/dev/null 2>&1 || fail "rpmbuild of the big package failed"
served=$SCRATCH/served
cp -a "$FIXTURES/main" "$served"
port=$(start_fault_server "$SCRATCH" --trickle-rate 2000000)

config=$SCRATCH/config.yaml
state=$SCRATCH/state
write_config() { { chantal_config_base "$state"; printf 'repositories:\n  - id: up\n    feed: http://127.0.0.1:%s/%s\n' "$port" "$1"; } >"$config"; }
write_config served
db=$state/chantal.db
chantal --config "$config" init >/dev/null
chantal --config "$config" -q repo sync --repo-id up >/dev/null
before=$(sqlite3 "$db" "SELECT group_concat(path) FROM repository_contents")

# Upstream gains the big package; the sync trickles it at ~2 MB/s and is killed.
cp "$top"/RPMS/noarch/chantal-big-1.0-1.noarch.rpm "$served/"
createrepo_c --update -q "$served" >/dev/null
write_config fault/slow/served
"$CHANTAL_BIN" --config "$config" -q repo sync --repo-id up >/dev/null 2>&1 &
sync_pid=$!
partial=
for _ in $(seq 1 200); do
  # find fails (silenced) when a file it listed is renamed before it looks
  # at its size, which the running sync does all the time: poll again.
  partial=$(find "$state/tmp" -name '*.part' -size +2M 2>/dev/null | head -1) || partial=
  [[ -n $partial ]] && break
  sleep 0.05
done
[[ -n $partial ]] || fail "the download never started"
kill -9 "$sync_pid"
wait "$sync_pid" 2>/dev/null || true
partial_size=$(stat -c %s "$partial")
log "killed with $partial_size bytes of the big package downloaded"

assert_eq "$before" "$(sqlite3 "$db" "SELECT group_concat(path) FROM repository_contents")" "latest changed by a killed sync"
[[ -z $(find "$state/pool" -name '*chantal-big*') ]] || fail "a partial file reached the pool"
assert_eq "running" "$(sqlite3 "$db" "SELECT status FROM sync_history ORDER BY id DESC LIMIT 1")"
assert_exit 0 chantal --config "$config" repo show --repo-id up
assert_match "$ASSERT_OUT" "packages: +9 "

# The next sync (full speed) resumes from where the bytes stopped.
curl -s "http://127.0.0.1:$port/_reset" >/dev/null
write_config served
assert_exit 0 chantal --config "$config" --format json repo sync --repo-id up
downloaded=$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["bytes_downloaded"])' <<<"$ASSERT_OUT")
big=$(stat -c %s "$served/chantal-big-1.0-1.noarch.rpm")
(( downloaded < big - partial_size / 2 )) || fail "resumed sync downloaded $downloaded bytes of $big (partial had $partial_size)"
curl -s "http://127.0.0.1:$port/_stats" | python3 -c '
import json, sys
stats = json.load(sys.stdin)
entry = stats.get("/served/chantal-big-1.0-1.noarch.rpm")
assert entry and entry["range_requests"] == 1, stats
'
assert_exit 0 chantal --config "$config" repo history --repo-id up
assert_contains "$ASSERT_OUT" "interrupted"
big_sha=$(sha256sum "$served/chantal-big-1.0-1.noarch.rpm" | cut -d' ' -f1)
assert_file_exists "$state/pool/${big_sha:0:2}/${big_sha:2:2}/${big_sha}_chantal-big-1.0-1.noarch.rpm"
[[ -z $(find "$state/tmp" -name '*.part') ]] || fail "partial files left behind"
log "ok"
