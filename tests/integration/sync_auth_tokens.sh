#!/bin/bash
# auth: bearer tokens and custom headers against nginx that demands them, and
# client_cert with cert_dir (the newest entitlement pair of the directory);
# the token and header values never appear in output, sync history, repo
# show, config check or the state directory.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_tools openssl sqlite3 nginx
make_repos main

token='T0ken-b3arer-9d1f'
header_value='K3y-cust0m-77a2'
bearer_port=$(start_nginx "$FIXTURES" "if (\$http_authorization != \"Bearer $token\") { return 401; }")
custom_port=$(start_nginx "$FIXTURES" "if (\$http_x_api_key != \"$header_value\") { return 401; }")

pki=$SCRATCH/pki
make_test_pki "$pki" entitlement
tls_port=$(start_fault_server "$FIXTURES" --tls-cert "$pki/server.pem" --tls-key "$pki/server.key" --client-ca "$pki/ca.pem")
entitlement=$SCRATCH/entitlement
mkdir -p "$entitlement"
cp "$pki/client.pem" "$entitlement/5550001.pem"
cp "$pki/client-key.pem" "$entitlement/5550001-key.pem"
# An older pair that the server would refuse (signed by no trusted CA).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=stale" \
  -keyout "$entitlement/1000-key.pem" -out "$entitlement/1000.pem" 2>/dev/null
touch -d '2 days ago' "$entitlement/1000.pem" "$entitlement/1000-key.pem"
cp "$pki/ca.pem" "$entitlement/redhat-uep.pem"   # not NUMBER.pem: ignored
mkdir -p "$SCRATCH/empty-entitlement"

config=$SCRATCH/config.yaml
{
  chantal_config_base "$SCRATCH/state"
  cat <<YAML
ssl:
  ca_bundle: $pki/ca.pem
repositories:
  - id: bearer
    feed: http://127.0.0.1:$bearer_port/main
    auth: {type: bearer, token: $token}
  - id: bearer-wrong
    feed: http://127.0.0.1:$bearer_port/main
    auth: {type: bearer, token: wrong-$token}
  - id: custom
    feed: http://127.0.0.1:$custom_port/main
    auth: {type: custom, headers: {X-Api-Key: $header_value}}
  - id: custom-wrong
    feed: http://127.0.0.1:$custom_port/main
    auth: {type: custom, headers: {X-Api-Key: wrong-$header_value}}
  - id: entitled
    feed: https://127.0.0.1:$tls_port/main
    auth: {type: client_cert, cert_dir: $entitlement}
  - id: not-entitled
    feed: https://127.0.0.1:$tls_port/main
    auth: {type: client_cert, cert_dir: $SCRATCH/empty-entitlement}
YAML
} >"$config"
chantal --config "$config" init >/dev/null
all_output=

assert_exit 0 chantal --config "$config" repo sync --repo-id bearer
assert_contains "$ASSERT_OUT" "bearer: 9 added"
all_output+=$ASSERT_OUT$ASSERT_ERR
assert_exit 1 chantal --config "$config" -v repo sync --repo-id bearer-wrong
assert_contains "$ASSERT_ERR" "401"
all_output+=$ASSERT_OUT$ASSERT_ERR

assert_exit 0 chantal --config "$config" repo sync --repo-id custom
assert_contains "$ASSERT_OUT" "custom: 9 added"
all_output+=$ASSERT_OUT$ASSERT_ERR
assert_exit 1 chantal --config "$config" -v repo sync --repo-id custom-wrong
assert_contains "$ASSERT_ERR" "401"
all_output+=$ASSERT_OUT$ASSERT_ERR

assert_exit 0 chantal --config "$config" -v repo sync --repo-id entitled
assert_contains "$ASSERT_OUT$ASSERT_ERR" "client certificate $entitlement/5550001.pem with key $entitlement/5550001-key.pem"
assert_contains "$ASSERT_OUT" "entitled: 9 added"
assert_exit 1 chantal --config "$config" repo sync --repo-id not-entitled
assert_contains "$ASSERT_ERR" "auth.cert_dir $SCRATCH/empty-entitlement holds no entitlement certificate pair"

for id in bearer bearer-wrong custom custom-wrong entitled; do
  assert_exit 0 chantal --config "$config" repo show --repo-id "$id"
  all_output+=$ASSERT_OUT$ASSERT_ERR
  assert_exit 0 chantal --config "$config" --format json repo show --repo-id "$id"
  all_output+=$ASSERT_OUT$ASSERT_ERR
done
assert_contains "$all_output" "custom headers X-Api-Key"
assert_contains "$all_output" "bearer token"
assert_exit 0 chantal --config "$config" config check
all_output+=$ASSERT_OUT$ASSERT_ERR
assert_exit 0 chantal --config "$config" --format json config check
all_output+=$ASSERT_OUT$ASSERT_ERR
for id in bearer-wrong custom-wrong; do
  assert_exit 0 chantal --config "$config" --format json repo history --repo-id "$id"
  all_output+=$ASSERT_OUT$ASSERT_ERR
done

assert_not_contains "$all_output" "$token" "a bearer token reached the output"
assert_not_contains "$all_output" "$header_value" "a header value reached the output"
sqlite3 "$SCRATCH/state/chantal.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
for secret in "$token" "$header_value"; do
  if grep -rqa -- "$secret" "$SCRATCH/state"; then fail "a secret was stored under the state directory"; fi
done
log "ok"
