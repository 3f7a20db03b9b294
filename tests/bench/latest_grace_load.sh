#!/bin/bash
# Part of `scripts/bench fuse`: misses of the previous repodata while latest
# moves, under load (design.md §4: 0 misses in 100 syncs). A mounted
# repos/up/latest behind nginx; BENCH_GRACE_CLIENTS (default 32) dnf-like
# clients read repomd.xml and then every file it names, in a loop, while
# upstream switches between two states and BENCH_GRACE_SYNCS (default 100)
# syncs run, with `pool cleanup --grace-period 0` after every tenth.
TEST_NAME=bench-grace
source "$(dirname "$0")/../integration/lib.sh"
require_fuse
require_chantal
require_chantalfs
make_repos main main-v2
syncs=${BENCH_GRACE_SYNCS:-100}
clients=${BENCH_GRACE_CLIENTS:-32}

state=$SCRATCH/state
cfg=$SCRATCH/config.yaml
upstream=$SCRATCH/upstream
chantal_config_base "$state" >"$cfg"
printf 'repositories:\n  - id: up\n    feed: file://%s\n' "$upstream" >>"$cfg"
cp -a "$FIXTURES/main" "$upstream"
chantal --config "$cfg" init >/dev/null
chantal --config "$cfg" -q repo sync --repo-id up >/dev/null
mnt=$SCRATCH/mnt
start_chantalfs "$cfg" "$mnt"
port=$(start_nginx "$mnt")

"$CHANTAL_PYTHON" "$CHANTAL_SOURCE_DIR/tests/bench/repodata_clients.py" \
  "http://127.0.0.1:$port/repos/up/latest" "$clients" "$SCRATCH/stop" >"$SCRATCH/clients.out" 2>"$SCRATCH/misses.log" &
load=$!
on_exit "touch '$SCRATCH/stop'"
flavours=(main-v2 main)
for ((i = 0; i < syncs; i++)); do
  rm -rf "$upstream.next" && cp -a "$FIXTURES/${flavours[i % 2]}" "$upstream.next"
  rm -rf "$upstream" && mv "$upstream.next" "$upstream"
  chantal --config "$cfg" -q repo sync --repo-id up >/dev/null
  if (((i + 1) % 10 == 0)); then chantal --config "$cfg" -q pool cleanup --grace-period 0 >/dev/null; fi
  sleep 0.5
done
touch "$SCRATCH/stop"
wait "$load"
read -r requests misses < <(sed -E 's/requests=([0-9]+) misses=([0-9]+)/\1 \2/' "$SCRATCH/clients.out")
echo "previous repodata misses under nginx load: $misses in $requests fetches, $syncs syncs, $clients clients (target 0)"
if [[ $misses -gt 0 ]]; then head -n 5 "$SCRATCH/misses.log" >&2; fi
