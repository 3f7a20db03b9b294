#!/bin/bash
# TLS with a client certificate (like the RHEL CDN's entitlement certs),
# verification against a configured CA, HTTP basic auth; secrets never appear
# in output, sync history or the catalogue.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_tools openssl createrepo_c sqlite3 nginx
make_repos main

# A throwaway CA, a server certificate for 127.0.0.1, a client certificate.
pki=$SCRATCH/pki
make_test_pki "$pki" entitlement

tls_port=$(start_fault_server "$FIXTURES" --tls-cert "$pki/server.pem" --tls-key "$pki/server.key" --client-ca "$pki/ca.pem")

secret='S3cret-Pa55word'
printf 'mirror:%s\n' "$(openssl passwd -apr1 "$secret")" >"$SCRATCH/htpasswd"
basic_port=$(start_nginx "$FIXTURES" "auth_basic \"mirror\"; auth_basic_user_file $SCRATCH/htpasswd;")

config=$SCRATCH/config.yaml
{
  chantal_config_base "$SCRATCH/state"
  cat <<YAML
ssl:
  ca_bundle: $pki/ca.pem
repositories:
  - id: cdn
    feed: https://127.0.0.1:$tls_port/main
    ssl:
      client_cert: $pki/client.pem
      client_key: $pki/client-key.pem
  - id: cdn-no-cert
    feed: https://127.0.0.1:$tls_port/main
  - id: cdn-untrusted
    feed: https://127.0.0.1:$tls_port/main
    ssl:
      ca_bundle: /etc/ssl/certs/ca-certificates.crt
      client_cert: $pki/client.pem
      client_key: $pki/client-key.pem
  - id: basic
    feed: http://127.0.0.1:$basic_port/main
    auth: {type: basic, username: mirror, password: $secret}
  - id: basic-wrong
    feed: http://127.0.0.1:$basic_port/main
    auth: {type: basic, username: mirror, password: wrong-$secret}
  - id: basic-in-url
    feed: http://mirror:wrong-$secret@127.0.0.1:$basic_port/main
YAML
} >"$config"
chantal --config "$config" init >/dev/null

assert_exit 0 chantal --config "$config" repo sync --repo-id cdn
assert_contains "$ASSERT_OUT" "cdn: 9 added"
assert_exit 1 chantal --config "$config" repo sync --repo-id cdn-no-cert
assert_contains "$ASSERT_ERR" "repo cdn-no-cert: cannot fetch repomd.xml"
assert_exit 1 chantal --config "$config" repo sync --repo-id cdn-untrusted
assert_match "$ASSERT_ERR" "certificate|SSL|TLS"

assert_exit 0 chantal --config "$config" repo sync --repo-id basic
assert_contains "$ASSERT_OUT" "basic: 9 added"
all_output=$ASSERT_OUT$ASSERT_ERR
assert_exit 1 chantal --config "$config" repo sync --repo-id basic-wrong
assert_contains "$ASSERT_ERR" "401"
all_output+=$ASSERT_OUT$ASSERT_ERR
assert_exit 1 chantal --config "$config" -v repo sync --repo-id basic-in-url
assert_contains "$ASSERT_ERR" "401"
all_output+=$ASSERT_OUT$ASSERT_ERR
assert_exit 0 chantal --config "$config" --format json repo list
all_output+=$ASSERT_OUT$ASSERT_ERR
assert_exit 0 chantal --config "$config" --format json repo history --repo-id basic-in-url
all_output+=$ASSERT_OUT$ASSERT_ERR

assert_not_contains "$all_output" "$secret" "a password reached the output"
sqlite3 "$SCRATCH/state/chantal.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
if grep -rqa -- "$secret" "$SCRATCH/state"; then fail "a password was stored under the state directory"; fi
if grep -qa -- "BEGIN PRIVATE KEY" <<<"$all_output"; then fail "a private key reached the output"; fi
log "ok"
