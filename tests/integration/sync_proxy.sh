#!/bin/bash
# Sync through an HTTP forward proxy with credentials (proxy: http_proxy,
# https_proxy, username, password), a host in no_proxy going direct, an
# https:// feed with a client certificate (the RHEL CDN behind a corporate
# proxy) tunnelled with CONNECT, a repo's own proxy: block with a wrong
# password failing with 407; proxy credentials never reach the output, sync
# history or the state directory.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_tools createrepo_c sqlite3 nginx openssl
make_repos main

upstream=$(start_nginx "$FIXTURES")
pki=$SCRATCH/pki
make_test_pki "$pki" entitlement
tls_upstream=$(start_fault_server "$FIXTURES" --tls-cert "$pki/server.pem" --tls-key "$pki/server.key" --client-ca "$pki/ca.pem")

proxy_secret='Pr0xy-S3cret'
proxy_log=$SCRATCH/proxy.log
port_file=$SCRATCH/proxy.port
"$CHANTAL_PYTHON" "$CHANTAL_SOURCE_DIR/tests/support/forward_proxy.py" --port-file "$port_file" --log "$proxy_log" \
  --user "squid:$proxy_secret" </dev/null >"$SCRATCH/proxy.out" 2>&1 &
proxy_pid=$!
on_exit "stop_pid $proxy_pid"
wait_until 10 test -s "$port_file"
proxy_port=$(cat "$port_file")

config=$SCRATCH/config.yaml
{
  chantal_config_base "$SCRATCH/state"
  cat <<YAML
ssl:
  ca_bundle: $pki/ca.pem
proxy:
  http_proxy: http://127.0.0.1:$proxy_port
  https_proxy: http://127.0.0.1:$proxy_port
  username: squid
  password: $proxy_secret
  no_proxy: localhost
repositories:
  - id: proxied
    feed: http://127.0.0.1:$upstream/main
  - id: direct
    feed: http://localhost:$upstream/main
  - id: cdn
    feed: https://127.0.0.1:$tls_upstream/main
    ssl:
      client_cert: $pki/client.pem
      client_key: $pki/client-key.pem
  - id: wrong-proxy-password
    feed: http://127.0.0.1:$upstream/main
    proxy:
      http_proxy: http://127.0.0.1:$proxy_port
      username: squid
      password: wrong-$proxy_secret
YAML
} >"$config"
chantal --config "$config" init >/dev/null

# Everything the proxied repo fetched went through the proxy, authenticated.
assert_exit 0 chantal --config "$config" repo sync --repo-id proxied
assert_contains "$ASSERT_OUT" "proxied: 9 added"
all_output=$ASSERT_OUT$ASSERT_ERR
log_text=$(cat "$proxy_log")
assert_contains "$log_text" "GET http://127.0.0.1:$upstream/main/repodata/repomd.xml auth=ok"
rpm_lines=$(grep -c "^GET http://127.0.0.1:$upstream/main/.*\.rpm auth=ok$" "$proxy_log" || true)
assert_eq 9 "$rpm_lines" "every package fetched through the proxy"
assert_not_contains "$log_text" "auth=missing"

# A host in no_proxy is fetched directly: the proxy sees none of it, nginx does.
: >"$proxy_log"
assert_exit 0 chantal --config "$config" repo sync --repo-id direct
assert_contains "$ASSERT_OUT" "direct: 9 added"
all_output+=$ASSERT_OUT$ASSERT_ERR
assert_eq "" "$(cat "$proxy_log")" "no_proxy host went through the proxy"
assert_match "$(cat "$SCRATCH/nginx-$upstream/logs/access.log")" "GET /main/repodata/repomd.xml"

# An https:// feed goes through the proxy as a CONNECT tunnel, authenticated,
# with the client certificate presented end to end through it.
: >"$proxy_log"
assert_exit 0 chantal --config "$config" repo sync --repo-id cdn
assert_contains "$ASSERT_OUT" "cdn: 9 added"
all_output+=$ASSERT_OUT$ASSERT_ERR
assert_contains "$(cat "$proxy_log")" "CONNECT 127.0.0.1:$tls_upstream auth=ok"
assert_not_contains "$(cat "$proxy_log")" "auth=missing"
assert_not_contains "$(cat "$proxy_log")" "GET "

# Wrong proxy credentials: 407, a clear failure, latest untouched.
assert_exit 1 chantal --config "$config" repo sync --repo-id wrong-proxy-password
assert_contains "$ASSERT_ERR" "407"
all_output+=$ASSERT_OUT$ASSERT_ERR
assert_contains "$(cat "$proxy_log")" "auth=wrong"
assert_exit 0 chantal --config "$config" --format json repo history --repo-id wrong-proxy-password
all_output+=$ASSERT_OUT$ASSERT_ERR
assert_exit 0 chantal --config "$config" -v --format json repo history --repo-id proxied
all_output+=$ASSERT_OUT$ASSERT_ERR

assert_not_contains "$all_output" "$proxy_secret" "a proxy password reached the output"
sqlite3 "$SCRATCH/state/chantal.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
if grep -rqa -- "$proxy_secret" "$SCRATCH/state"; then fail "a proxy password was stored under the state directory"; fi
log "ok"
