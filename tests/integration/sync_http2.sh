#!/bin/bash
# HTTP/2 where offered: a sync from nginx with `listen ... ssl http2` (ALPN,
# a throwaway CA) fetches everything over HTTP/2, on few connections
# (multiplexed streams), as nginx's access log ($server_protocol,
# $connection) shows.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_tools openssl createrepo_c nginx
make_repos main

pki=$SCRATCH/pki
make_test_pki "$pki"

# nginx with its own config: start_nginx's listen line is plain HTTP.
port=$(free_port)
dir=$SCRATCH/nginx-h2
mkdir -p "$dir/tmp" "$dir/logs"
cat >"$dir/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 256; }
http {
  default_type application/octet-stream;
  log_format proto '\$server_protocol \$connection \$status \$request_uri';
  access_log $dir/logs/access.log proto;
  client_body_temp_path $dir/tmp/client;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  server {
    listen 127.0.0.1:$port ssl http2;
    ssl_certificate $pki/server.pem;
    ssl_certificate_key $pki/server.key;
    root $FIXTURES;
  }
}
EOF
nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" </dev/null >"$dir/logs/stdout.log" 2>&1 &
nginx_pid=$!
on_exit "stop_pid $nginx_pid"
wait_until 10 port_open "$port"

config=$SCRATCH/config.yaml
{
  chantal_config_base "$SCRATCH/state"
  cat <<YAML
ssl:
  ca_bundle: $pki/ca.pem
repositories:
  - id: h2
    feed: https://127.0.0.1:$port/main
YAML
} >"$config"
chantal --config "$config" init >/dev/null
assert_exit 0 chantal --config "$config" repo sync --repo-id h2
assert_contains "$ASSERT_OUT" "h2: 9 added"

access=$dir/logs/access.log
wait_until 5 grep -q '\.rpm$' "$access"
requests=$(wc -l <"$access")
rpm_requests=$(grep -c ' 200 /main/.*\.rpm$' "$access" || true)
assert_eq 9 "$rpm_requests" "package requests in nginx's log"
h2_requests=$(grep -c '^HTTP/2.0 ' "$access" || true)
assert_eq "$requests" "$h2_requests" "every request over HTTP/2:"$'\n'"$(cat "$access")"
# Multiplexing: the 9 packages (4 parallel transfers) share connections
# instead of opening one each.
connections=$(grep '\.rpm$' "$access" | cut -d' ' -f2 | sort -u | wc -l)
if ((connections >= 9)); then fail "each package had its own connection ($connections):"$'\n'"$(cat "$access")"; fi
log "ok: $requests requests over HTTP/2, the packages on $connections connection(s)"
