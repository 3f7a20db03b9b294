# shellcheck shell=bash disable=SC2034  # HTTP_PORT, NGINX_PORT, FIXTURES... are set for the tests
# Shared helpers for Chantal's integration tests. Source it first thing:
#
#   source "$(dirname "$0")/lib.sh"
#   require_tools createrepo_c dnf
#   make_repos main lib
#   port=$(start_http_server "$FIXTURES")
#   dnf_offline --repo "http://127.0.0.1:$port/main" repoquery
#
# What sourcing does: `set -euo pipefail`; a scratch directory $SCRATCH
# (under ${TMPDIR:-/tmp}) that is removed at exit; a cleanup stack (on_exit)
# run in reverse order by an EXIT trap, also on failure, Ctrl-C and SIGTERM,
# and by a watchdog process if the test shell is killed outright (SIGKILL from
# a ctest timeout): servers, nginx and FUSE mounts never outlive the test.
#
# Cleanup commands are stored as text in a file, so helpers also work inside
# $(...): `port=$(start_http_server DIR)` registers the server's cleanup with
# the test, not with the subshell.
#
# Environment:
#   CHANTAL_BUILD_DIR    build tree (default: <source>/build); the CLI is $CHANTAL_BUILD_DIR/cli/chantal
#   CHANTAL_SOURCE_DIR   source tree (default: derived from this file's location)
#   CHANTAL_FIXTURE_CACHE  where make_repos keeps fixtures (default: $CHANTAL_BUILD_DIR/fixture-cache)
#   CHANTAL_KEEP_SCRATCH=1         keep $SCRATCH after the test (=failure: only when it failed)
#   NGINX_USER           user for nginx workers (default root; www-data needs a world-readable tree)
#   DNF_VERBOSE=1        do not pass -q to dnf

# ---------------------------------------------------------------- paths
CHANTAL_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh
: "${CHANTAL_SOURCE_DIR:=$(cd "$(dirname "$CHANTAL_LIB")/../.." && pwd)}"
: "${CHANTAL_BUILD_DIR:=$CHANTAL_SOURCE_DIR/build}"
: "${CHANTAL_BIN:=$CHANTAL_BUILD_DIR/cli/chantal}"
: "${CHANTALFS_BIN:=$CHANTAL_BUILD_DIR/fs/chantalfs}"
: "${CHANTAL_FIXTURE_CACHE:=$CHANTAL_BUILD_DIR/fixture-cache}"
export CHANTAL_SOURCE_DIR CHANTAL_BUILD_DIR CHANTAL_BIN CHANTALFS_BIN CHANTAL_FIXTURE_CACHE

# The system python (dnf's) starts faster than a pyenv shim and is what
# bookworm ships; any python3 works for the helpers.
if [[ -x /usr/bin/python3 ]]; then CHANTAL_PYTHON=${CHANTAL_PYTHON:-/usr/bin/python3}; else CHANTAL_PYTHON=${CHANTAL_PYTHON:-python3}; fi

# ---------------------------------------------------------------- messages and assertions
log() { printf '[%s] %s\n' "${TEST_NAME:-test}" "$*" >&2; }

_where() {  # file:line of the test line that called the assertion
  local i
  for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
    if [[ ${BASH_SOURCE[$i]} != "${BASH_SOURCE[0]}" ]]; then
      printf '%s:%s' "$(basename "${BASH_SOURCE[$i]}")" "${BASH_LINENO[$((i - 1))]}"
      return
    fi
  done
  printf '?'
}

# fail MSG...: print "FAIL (file:line): MSG" and exit 1 (cleanup runs).
fail() {
  printf 'FAIL (%s): %s\n' "$(_where)" "$*" >&2
  exit 1
}

# assert_eq EXPECTED ACTUAL [MSG]
assert_eq() {
  [[ $1 == "$2" ]] && return 0
  fail "${3:-values differ}"$'\n'"--- expected:"$'\n'"$1"$'\n'"--- actual:"$'\n'"$2"
}
# assert_ne UNEXPECTED ACTUAL [MSG]
assert_ne() {
  [[ $1 != "$2" ]] && return 0
  fail "${3:-value must differ from}: $1"
}
# assert_contains HAYSTACK NEEDLE [MSG]   (fixed string)
assert_contains() {
  [[ $1 == *"$2"* ]] && return 0
  fail "${3:-missing text}: '$2' not found in:"$'\n'"$1"
}
# assert_not_contains HAYSTACK NEEDLE [MSG]
assert_not_contains() {
  [[ $1 != *"$2"* ]] && return 0
  fail "${3:-unexpected text}: '$2' found in:"$'\n'"$1"
}
# assert_match HAYSTACK ERE [MSG]
assert_match() {
  [[ $1 =~ $2 ]] && return 0
  fail "${3:-no match}: /$2/ does not match:"$'\n'"$1"
}
assert_file_exists() {
  local f
  for f in "$@"; do [[ -e $f ]] || fail "expected file does not exist: $f"; done
}
assert_file_missing() {
  local f
  for f in "$@"; do [[ ! -e $f && ! -L $f ]] || fail "file should not exist: $f"; done
}
# assert_exit CODE CMD...: run CMD, require exit status CODE. The command's
# stdout and stderr are kept in $ASSERT_OUT / $ASSERT_ERR for further checks
# (and printed when the status is wrong).
ASSERT_OUT=
ASSERT_ERR=
assert_exit() {
  local want=$1 rc=0
  shift
  "$@" >"$SCRATCH/.assert.out" 2>"$SCRATCH/.assert.err" || rc=$?
  ASSERT_OUT=$(<"$SCRATCH/.assert.out")
  ASSERT_ERR=$(<"$SCRATCH/.assert.err")
  [[ $rc == "$want" ]] && return 0
  fail "exit status $rc, expected $want: $*"$'\n'"--- stdout:"$'\n'"$ASSERT_OUT"$'\n'"--- stderr:"$'\n'"$ASSERT_ERR"
}

# wait_until TIMEOUT_SECONDS CMD...: poll CMD (every 0.1 s) until it succeeds.
wait_until() {
  local timeout=$1 start=$SECONDS
  shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS - start < timeout)) || fail "timed out after ${timeout}s waiting for: $*"
    sleep 0.1
  done
}

# ---------------------------------------------------------------- cleanup stack
# on_exit CMD: run CMD (a single line of shell, evaluated by bash) at exit,
# in reverse order of registration, even when the test fails.
on_exit() {
  [[ $* != *$'\n'* ]] || fail "on_exit: command must be one line: $*"
  printf '%s\n' "$*" >>"$_CHANTAL_EXIT_STACK"
}

_chantal_run_exit_stack() {  # runs and empties the stack (also used by the watchdog)
  local stack=$1 cmd
  [[ -f $stack ]] || return 0
  local -a cmds
  mapfile -t cmds < <(tac "$stack")
  : >"$stack"
  for cmd in "${cmds[@]}"; do
    [[ -n $cmd ]] || continue
    (eval "$cmd") </dev/null || printf 'warning: cleanup failed: %s\n' "$cmd" >&2
  done
}

_chantal_unmount_under() {  # lazily unmount everything mounted below DIR
  local dir=$1 mnt
  [[ -n $dir ]] || return 0
  while read -r mnt; do
    mnt=$(printf '%b' "$mnt")   # /proc/mounts escapes spaces as \040
    fusermount3 -u -z "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || true
  done < <(awk -v d="$dir/" 'index($2, d) == 1 {print $2}' /proc/self/mounts | sort -r)
}

# stop_pid PID: SIGTERM, wait up to 5 s, then SIGKILL. Works for processes
# that are not children of this shell.
stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    # a zombie child of ours counts as stopped
    [[ $(ps -o stat= -p "$pid" 2>/dev/null) == Z* ]] && return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

_chantal_lib_exit() {
  local rc=$?
  set +eu
  trap - EXIT
  _chantal_run_exit_stack "$_CHANTAL_EXIT_STACK"
  _chantal_unmount_under "$SCRATCH"
  [[ -n ${_CHANTAL_WATCHDOG_PID:-} ]] && kill "$_CHANTAL_WATCHDOG_PID" 2>/dev/null
  if [[ ${CHANTAL_KEEP_SCRATCH:-} == 1 || (${CHANTAL_KEEP_SCRATCH:-} == failure && $rc != 0) ]]; then
    printf '[%s] scratch kept: %s\n' "$TEST_NAME" "$SCRATCH" >&2
  else
    rm -rf --one-file-system "$SCRATCH"
  fi
  if [[ $rc == 0 ]]; then
    printf '[%s] PASS (%ss)\n' "$TEST_NAME" "$SECONDS" >&2
  else
    printf '[%s] FAILED with exit status %s (%ss)\n' "$TEST_NAME" "$rc" "$SECONDS" >&2
  fi
  exit "$rc"
}

# ---------------------------------------------------------------- requirements
# make_test_pki DIR [CLIENT_CN]: a throwaway CA (DIR/ca.pem, ca.key) and a
# server certificate for 127.0.0.1 (DIR/server.pem, server.key) signed by
# it; with CLIENT_CN also a client certificate (DIR/client.pem,
# client-key.pem). Valid two days; needs openssl.
make_test_pki() {
  local pki=$1 client_cn=${2:-}
  mkdir -p "$pki"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Chantal Test CA" \
    -keyout "$pki/ca.key" -out "$pki/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$pki/server.key" -out "$pki/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\n' >"$pki/san.ext"
  openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial -days 2 \
    -extfile "$pki/san.ext" -out "$pki/server.pem" 2>/dev/null
  [[ -n $client_cn ]] || return 0
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$client_cn" -keyout "$pki/client-key.pem" -out "$pki/client.csr" 2>/dev/null
  openssl x509 -req -in "$pki/client.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial -days 2 \
    -out "$pki/client.pem" 2>/dev/null
}

# require_tools TOOL...: fail (never skip) when a tool is missing.
require_tools() {
  local t missing=()
  for t in "$@"; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
  [[ ${#missing[@]} == 0 ]] && return 0
  fail "required tool(s) not installed: ${missing[*]} (install them with scripts/bootstrap)"
}
require_fuse() {
  [[ -c /dev/fuse ]] || fail "/dev/fuse is missing: FUSE tests need the fuse kernel module (modprobe fuse) or --device /dev/fuse"
  require_tools fusermount3
}
require_root() {
  [[ $(id -u) == 0 ]] || fail "this test must run as root"
}
require_chantal() {
  [[ -x $CHANTAL_BIN ]] || fail "chantal binary not built: $CHANTAL_BIN (build first, or set CHANTAL_BUILD_DIR)"
}
require_chantalfs() {
  [[ -x $CHANTALFS_BIN ]] || fail "chantalfs binary not built: $CHANTALFS_BIN (build first, or set CHANTAL_BUILD_DIR)"
}

# ---------------------------------------------------------------- binaries
chantal() { require_chantal; "$CHANTAL_BIN" "$@"; }
chantalfs() { require_chantalfs; "$CHANTALFS_BIN" "$@"; }

# chantal_config_base DIR: print the database/storage part of a config whose
# state lives in DIR (append repositories:/views: yourself).
chantal_config_base() {
  local dir=$1
  mkdir -p "$dir"
  cat <<EOF
database:
  url: sqlite:///$dir/chantal.db
storage:
  base_path: $dir
  pool_path: $dir/pool
  published_path: $dir/published
  temp_path: $dir/tmp
download:
  parallel: 4
  timeout: 10
  retry_attempts: 2
EOF
}

# mount_cleanup MOUNTPOINT: unmount (lazily) at exit.
mount_cleanup() {
  on_exit "fusermount3 -u -z '$1' 2>/dev/null || umount -l '$1' 2>/dev/null || true"
}

# start_chantalfs CONFIG MOUNTPOINT [OPTS...]: chantalfs in the foreground
# (log: MOUNTPOINT.log), unmounted and stopped at exit; returns once
# MOUNTPOINT/repos is there. Sets CHANTALFS_PID (not when called in $(...)).
CHANTALFS_PID=
start_chantalfs() {
  local config=$1 mountpoint=$2
  shift 2
  # A dead mount (its daemon killed) answers stat with ENOTCONN once the
  # kernel's attribute cache expires, so mkdir fails there; the new daemon
  # takes such a mount over, so a listed mount point is good enough.
  mkdir -p "$mountpoint" 2>/dev/null || (($(mounts_at "$mountpoint") > 0)) ||
    fail "cannot create the mount point $mountpoint"
  mount_cleanup "$mountpoint"
  "$CHANTALFS_BIN" --config "$config" "$mountpoint" -f "$@" 2>>"$mountpoint.log" &
  CHANTALFS_PID=$!
  on_exit "stop_pid $CHANTALFS_PID"
  wait_until 10 test -d "$mountpoint/repos"
}

# synced_config CONFIG STATE_DIR FLAVOUR...: write CONFIG (catalogue and pool
# in STATE_DIR) with one mirror repo per fixture FLAVOUR (repo id = flavour),
# create the catalogue and sync every repo.
synced_config() {
  local config=$1 state=$2 flavour
  shift 2
  make_repos "$@"
  chantal_config_base "$state" >"$config"
  printf 'repositories:\n' >>"$config"
  for flavour in "$@"; do
    printf '  - id: %s\n    feed: %s\n' "$flavour" "$(fixture_url "$flavour")" >>"$config"
  done
  "$CHANTAL_BIN" --config "$config" init >/dev/null || fail "chantal init failed for $config"
  "$CHANTAL_BIN" --config "$config" -q repo sync --all || fail "chantal repo sync --all failed for $config"
}

# synced_config_for_nobody CONFIG STATE_DIR FLAVOUR...: synced_config, then
# the state owned by nobody and CONFIG readable by it (non-root mounts).
synced_config_for_nobody() {
  synced_config "$@"
  chown -R nobody "$2"
  chmod 755 "$SCRATCH"
  chmod 644 "$1"
}

# mounts_at PATH: how many mounts /proc/self/mountinfo lists at PATH (a
# canonical path; stacked mounts count once each).
mounts_at() {
  local want=$1 point count=0
  while read -r point; do
    [[ $(printf '%b' "$point") == "$want" ]] && count=$((count + 1))
  done < <(awk '{print $5}' /proc/self/mountinfo)
  echo "$count"
}

# ---------------------------------------------------------------- fixtures
# make_repos FLAVOUR...: build fixture repos (tests/fixtures/make-repos) into a
# cache shared by every test of the build; sets FIXTURES to that directory.
# The cached repos are shared: copy_repo before modifying one.
FIXTURES=$CHANTAL_FIXTURE_CACHE
make_repos() {
  mkdir -p "$CHANTAL_FIXTURE_CACHE"
  "$CHANTAL_SOURCE_DIR/tests/fixtures/make-repos" "$CHANTAL_FIXTURE_CACHE" "$@" ||
    fail "make-repos $* failed"
  FIXTURES=$(cd "$CHANTAL_FIXTURE_CACHE" && pwd)
}
# copy_repo FLAVOUR DEST: private, modifiable copy of a fixture repo.
copy_repo() {
  make_repos "$1"
  mkdir -p "$(dirname "$2")"
  rm -rf "$2"
  cp -a "$FIXTURES/$1" "$2"
}
# fixture_url FLAVOUR: file:// URL of a fixture repo.
fixture_url() { printf 'file://%s/%s\n' "$FIXTURES" "$1"; }

# ---------------------------------------------------------------- servers
# free_port: a TCP port on 127.0.0.1 that was free a moment ago.
free_port() {
  "$CHANTAL_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# port_open PORT: true when something accepts connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_http_server DIR: python3 http.server on 127.0.0.1 serving DIR; prints
# the port (also in $HTTP_PORT when not called in $(...)); stopped at exit.
# Log: $SCRATCH/http-PORT.log
HTTP_PORT=
start_http_server() {
  local dir=$1 port pid
  [[ -d $dir ]] || fail "start_http_server: no directory $dir"
  for _ in 1 2 3; do
    port=$(free_port)
    "$CHANTAL_PYTHON" -m http.server --bind 127.0.0.1 --directory "$dir" "$port" \
      </dev/null >"$SCRATCH/http-$port.log" 2>&1 &
    pid=$!
    on_exit "stop_pid $pid"
    local i
    for ((i = 0; i < 100; i++)); do
      if port_open "$port"; then HTTP_PORT=$port; echo "$port"; return 0; fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    stop_pid "$pid"
  done
  fail "start_http_server: could not start python3 http.server for $dir (see $SCRATCH/http-*.log)"
}

# start_nginx ROOT_DIR [EXTRA_SERVER_DIRECTIVES]: nginx (not daemonised, own
# config/pid/logs/temp dirs under $SCRATCH/nginx-PORT) serving ROOT_DIR on
# 127.0.0.1 with sendfile and autoindex; prints the port (also $NGINX_PORT
# when not in $(...)); stopped at exit. EXTRA is pasted into the server block,
# e.g. 'location /x { return 500; }'. Workers run as $NGINX_USER (root).
NGINX_PORT=
start_nginx() {
  local root=$1 extra=${2:-} user=${NGINX_USER:-root} port dir pid i
  [[ -d $root ]] || fail "start_nginx: no directory $root"
  require_tools nginx
  root=$(cd "$root" && pwd)
  [[ $user == root ]] || chmod 0755 "$SCRATCH"
  for _ in 1 2 3; do
    port=$(free_port)
    dir=$SCRATCH/nginx-$port
    mkdir -p "$dir/tmp" "$dir/logs"
    [[ $user == root ]] || chown -R "$user" "$dir/tmp"
    cat >"$dir/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
user $user;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log $dir/logs/access.log;
  client_body_temp_path $dir/tmp/client;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 30;
  server {
    listen 127.0.0.1:$port;
    server_name localhost;
    root $root;
    autoindex on;
$extra
  }
}
EOF
    nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" </dev/null >"$dir/logs/stdout.log" 2>&1 &
    pid=$!
    on_exit "stop_pid $pid"
    for ((i = 0; i < 100; i++)); do
      if port_open "$port"; then NGINX_PORT=$port; echo "$port"; return 0; fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    stop_pid "$pid"
  done
  fail "start_nginx: nginx did not start; last error log:"$'\n'"$(cat "$dir/logs/error.log" "$dir/logs/stdout.log" 2>/dev/null)"
}

# ---------------------------------------------------------------- dnf
# dnf_offline [OPTIONS] DNF_ARGS...: dnf against an isolated installroot,
# cache and configuration: no host repos, no plugins, no network but the
# repos given, metadata always refreshed, package gpgcheck off.
#   --repo [ID=]URL    add a repository (ids default to repo1, repo2, ...)
#   --gpgkey KEY       for the preceding --repo: repo_gpgcheck=1 with gpgkey=KEY
#                      (file path or URL); the repomd.xml signature must verify
#   --gpgcheck         check package signatures (gpgcheck=1; default off); the
#                      keys come from --gpgkey or --setopt=ID.gpgkey=...
#   --root DIR         installroot (default $SCRATCH/dnf-root; one rpmdb per root)
# Examples:
#   dnf_offline --repo "$(fixture_url main)" repoquery --qf '%{name}'
#   dnf_offline --repo main=URL1 --repo lib=URL2 install chantal-demo-app
#   dnf_offline --repo URL --gpgkey "$FIXTURES/signed/RPM-GPG-KEY-chantal-fixtures" repoquery
dnf_offline() {
  local root=$SCRATCH/dnf-root gpgcheck=0 n=0 id url key last=
  local -a opts=() repos=()
  while [[ $# -gt 0 ]]; do
    case $1 in
      --repo)
        [[ $# -ge 2 ]] || fail "dnf_offline: --repo needs a URL"
        n=$((n + 1))
        if [[ $2 =~ ^([A-Za-z0-9_.:-]+)=(.*)$ ]]; then id=${BASH_REMATCH[1]}; url=${BASH_REMATCH[2]}
        else id=repo$n; url=$2; fi
        [[ $url == /* ]] && url=file://$url
        repos+=("$id")
        opts+=("--repofrompath=$id,$url" "--setopt=$id.skip_if_unavailable=0")
        last=$id
        shift 2 ;;
      --gpgkey)
        [[ $# -ge 2 && -n $last ]] || fail "dnf_offline: --gpgkey KEY must follow --repo"
        key=$2
        [[ $key == /* ]] && key=file://$key
        opts+=("--setopt=$last.repo_gpgcheck=1" "--setopt=$last.gpgkey=$key")
        shift 2 ;;
      --gpgcheck) gpgcheck=1; shift ;;
      --root) root=$2; shift 2 ;;
      *) break ;;
    esac
  done
  [[ ${#repos[@]} -gt 0 ]] || fail "dnf_offline: give at least one --repo"
  mkdir -p "$root" "$root.cache"
  [[ -f $root.conf ]] || printf '[main]\n' >"$root.conf"
  local -a cmd=(dnf -y --noplugins --installroot="$root" --config="$root.conf"
    --releasever=9 --setopt=module_platform_id=platform:el9 --setopt=reposdir=/dev/null --setopt=cachedir="$root.cache"
    --setopt=install_weak_deps=0 --setopt=keepcache=0 --refresh
    --disablerepo='*')
  [[ ${DNF_VERBOSE:-} == 1 ]] || cmd+=(-q)
  # The default of an empty dnf.conf is gpgcheck=0: say it either way.
  if [[ $gpgcheck == 0 ]]; then
    cmd+=(--nogpgcheck --setopt=gpgcheck=0)
    for id in "${repos[@]}"; do cmd+=("--setopt=$id.gpgcheck=0"); done
  else
    cmd+=(--setopt=gpgcheck=1)
    for id in "${repos[@]}"; do cmd+=("--setopt=$id.gpgcheck=1"); done
  fi
  for id in "${repos[@]}"; do cmd+=("--enablerepo=$id"); done
  # librepo starts a gpg-agent per repo keyring (cache/ID-*/pubring) and
  # leaves it running: stop those whatever dnf's outcome.
  local rc=0
  "${cmd[@]}" "${opts[@]}" "$@" || rc=$?
  _chantal_stop_gpg_agents "$root.cache"
  return "$rc"
}
_chantal_stop_gpg_agents() {
  local d
  for d in "$1"/*/pubring; do
    [[ -d $d ]] && gpgconf --homedir "$d" --kill all >/dev/null 2>&1
  done
  return 0
}

# ---------------------------------------------------------------- setup
if [[ ${1:-} == --functions-only ]]; then
  return 0
fi

set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true

TEST_NAME=$(basename "${0%.sh}")
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/chantal-$TEST_NAME.XXXXXX")
SCRATCH=$(cd "$SCRATCH" && pwd -P)
_CHANTAL_EXIT_STACK=$SCRATCH/.on_exit
: >"$_CHANTAL_EXIT_STACK"
export SCRATCH TEST_NAME
trap _chantal_lib_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# Watchdog: if this shell dies without running its EXIT trap (SIGKILL, e.g.
# a ctest timeout), run the cleanup stack and remove the scratch directory.
# setsid: survives a kill of the test's process group; no inherited stdout,
# so ctest does not wait for it.
_chantal_watchdog() {
  local parent=$1
  trap '' INT HUP
  trap 'exit 0' TERM
  while kill -0 "$parent" 2>/dev/null; do sleep 1; done
  if [[ -f $_CHANTAL_EXIT_STACK ]]; then
    _chantal_run_exit_stack "$_CHANTAL_EXIT_STACK"
    _chantal_unmount_under "$SCRATCH"
    rm -rf --one-file-system "$SCRATCH"
  fi
}
export -f _chantal_watchdog _chantal_run_exit_stack _chantal_unmount_under stop_pid
# shellcheck disable=SC2016  # $1 is the watchdog's own argument
_CHANTAL_WATCHDOG_PID=$(
  _CHANTAL_EXIT_STACK=$_CHANTAL_EXIT_STACK SCRATCH=$SCRATCH \
    setsid bash -c '_chantal_watchdog "$1"' watchdog "$$" </dev/null >/dev/null 2>&1 &
  echo $!
)

# start_fault_server ROOT [ARGS...]: tests/support/fault_http_server.py serving
# ROOT on 127.0.0.1 (URL grammar /fault/<MODE>/<path>, /_stats; see its
# header); prints the port; stopped at exit. ARGS go to the server
# (--stall-seconds, --trickle-rate, --tls-cert/--tls-key/--client-ca).
start_fault_server() {
  local root=$1 port_file pid i
  shift
  port_file=$(mktemp "$SCRATCH/fault-port.XXXXXX")
  "$CHANTAL_PYTHON" "$CHANTAL_SOURCE_DIR/tests/support/fault_http_server.py" --root "$root" --port-file "$port_file" "$@" \
    </dev/null >"$port_file.log" 2>&1 &
  pid=$!
  on_exit "stop_pid $pid"
  for ((i = 0; i < 200; i++)); do
    if [[ -s $port_file ]]; then cat "$port_file"; return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  fail "start_fault_server: the fault server did not start (see $port_file.log)"
}
