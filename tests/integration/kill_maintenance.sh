#!/bin/bash
# kill -9 at random points of every command that writes (design.md §3):
# snapshot create, view snapshot, db vacuum, export, pool cleanup, db import
# and repo sync. After each kill `db verify` passes (no catalogue row names a
# missing file), every tree is in its previous or its new complete state, and
# the same command then runs to completion. Bounded: $KILL_ROUNDS kills per
# command (default 6), each at a random moment within the command's own
# measured run time.
source "$(dirname "$0")/lib.sh"
require_tools sqlite3 python3
require_chantal
make_repos main main-v2 lib

# Under the sanitizers (ASAN_OPTIONS is set there) a round costs about three
# times as much; three rounds still take every path through every command.
default_rounds=6
if [ -n "${ASAN_OPTIONS:-}" ]; then default_rounds=3; fi
rounds=${KILL_ROUNDS:-$default_rounds}
state=$SCRATCH/state
db=$state/chantal.db
cfg=$SCRATCH/config.yaml
upstream=$SCRATCH/upstream
chantal_config_base "$state" >"$cfg"
cat >>"$cfg" <<CONFIG
repositories:
  - id: main
    feed: file://$upstream
  - id: lib
    feed: $(fixture_url lib)
views:
  - name: all
    repos: [main, lib]
CONFIG
cp -a "$FIXTURES/main" "$upstream"

# duration_ms CMD...: how long an uninterrupted run of CMD takes.
duration_ms() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(((end - start) / 1000000 + 1))
}

chantal --config "$cfg" init >/dev/null
sync_ms=$(duration_ms chantal --config "$cfg" -q repo sync --all)
assert_exit 0 chantal --config "$cfg" -q repo sync --all
assert_exit 0 chantal --config "$cfg" -q snapshot create --repo-id main --name base

packages() { chantal --config "$cfg" package list "$@" --format json 2>/dev/null | python3 -c 'import json,sys; print(sorted(p["filename"] for p in json.load(sys.stdin)))' 2>/dev/null || echo unreadable; }
main_v1=$(packages --repo-id main)
view_v1=$(packages --view all)

# verified LABEL: db verify passes and the untouched trees are as before.
verified() {
  local out
  out=$(chantal --config "$cfg" db verify 2>&1) || fail "$1: db verify failed after kill -9:"$'\n'"$out"
  assert_eq "$main_v1" "$(packages --repo-id main --snapshot base)" "$1: snapshot base"
}

# kill_at_random LIMIT_MS chantal ARGS...: start the chantal binary itself
# (not the lib.sh function: its subshell would die and leave chantal
# running), kill -9 it after a random 0..LIMIT_MS ms (if still running).
kill_at_random() {
  local limit=$1
  shift 2
  "$CHANTAL_BIN" "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep "$(awk -v l="$limit" -v r="$RANDOM" 'BEGIN { printf "%.3f", l * r / 32767 / 1000 }')"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# unreferenced_content COUNT: COUNT pool files with catalogue rows that no tree
# references, two days old (what `pool cleanup --grace-period 0` removes).
unreferenced_content() {
  python3 - "$state/pool" "$db" "$1" <<'PY'
import hashlib, os, sqlite3, sys, time
pool, db, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
old = int(time.time()) - 2 * 86400
con = sqlite3.connect(db, timeout=30)
rows = []
for i in range(count):
    data = os.urandom(16) + str(i).encode()
    sha = hashlib.sha256(data).hexdigest()
    name = f"junk-{i}.rpm"
    d = os.path.join(pool, sha[:2], sha[2:4])
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, f"{sha}_{name}")
    with open(path, "wb") as f:
        f.write(data)
    os.utime(path, (old, old))
    rows.append((sha, name, len(data), "package", old))
con.executemany("INSERT INTO content_items (sha256, filename, size, kind, added_at) VALUES (?, ?, ?, ?, ?)", rows)
con.commit()
PY
}

# ---------------------------------------------------------------- pool cleanup
cleanup_ms=
for ((i = 0; i < rounds; i++)); do
  unreferenced_content 3000
  if [[ -z $cleanup_ms ]]; then
    cleanup_ms=$(duration_ms chantal --config "$cfg" -q pool cleanup --grace-period 0)
    unreferenced_content 3000
  fi
  kill_at_random "$cleanup_ms" chantal --config "$cfg" -q pool cleanup --grace-period 0
  verified "pool cleanup round $i"
done
assert_exit 0 chantal --config "$cfg" -q pool cleanup --grace-period 0
assert_eq 0 "$(sqlite3 "$db" "SELECT count(*) FROM content_items WHERE filename LIKE 'junk-%'")" "junk rows after a full cleanup"
assert_eq "" "$(find "$state/pool" -name '*_junk-*' | head -n 1)" "junk files after a full cleanup"

# ---------------------------------------------------------------- snapshots
snapshot_ms=$(duration_ms chantal --config "$cfg" -q snapshot create --repo-id main --name timing)
for ((i = 0; i < rounds; i++)); do
  kill_at_random "$snapshot_ms" chantal --config "$cfg" -q snapshot create --repo-id main --name "k$i"
  verified "snapshot create round $i"
  got=$(packages --repo-id main --snapshot "k$i")
  [[ $got == "$main_v1" || $got == unreadable ]] || fail "snapshot k$i is partial: $got"
done
view_ms=$(duration_ms chantal --config "$cfg" -q snapshot create --view all --name timing)
for ((i = 0; i < rounds; i++)); do
  kill_at_random "$view_ms" chantal --config "$cfg" -q snapshot create --view all --name "v$i"
  verified "view snapshot round $i"
  got=$(packages --view all --snapshot "v$i")
  [[ $got == "$view_v1" || $got == unreadable ]] || fail "view snapshot v$i is partial: $got"
done

# ---------------------------------------------------------------- vacuum
vacuum_ms=$(duration_ms chantal --config "$cfg" -q db vacuum)
for ((i = 0; i < rounds; i++)); do
  kill_at_random "$vacuum_ms" chantal --config "$cfg" -q db vacuum
  verified "db vacuum round $i"
  assert_eq "$view_v1" "$(packages --view all)" "view after killed vacuum $i"
done

# ---------------------------------------------------------------- export
assert_exit 0 chantal --config "$cfg" -q export --view all --dest "$SCRATCH/export-ref"
reference=$(cd "$SCRATCH/export-ref" && find . -type f | LC_ALL=C sort | xargs sha256sum)
export_ms=$(duration_ms chantal --config "$cfg" -q export --view all --dest "$SCRATCH/export-timing")
for ((i = 0; i < rounds; i++)); do
  dest=$SCRATCH/export-$i
  kill_at_random "$export_ms" chantal --config "$cfg" -q export --view all --dest "$dest"
  verified "export round $i"
  if [[ -e $dest ]]; then
    got=$(cd "$dest" && find . -type f | LC_ALL=C sort | xargs sha256sum)
    assert_eq "$reference" "$got" "export $i: a destination that exists is complete"
  fi
  assert_exit 0 chantal --config "$cfg" -q export --view all --dest "$dest"
  assert_eq "$reference" "$(cd "$dest" && find . -type f | LC_ALL=C sort | xargs sha256sum)" "export $i rerun"
done

# ---------------------------------------------------------------- import
assert_exit 0 chantal --config "$cfg" -q db export --output "$SCRATCH/catalogue.json"
import_ms=$(duration_ms chantal --config "$cfg" -q db import --force "$SCRATCH/catalogue.json")
for ((i = 0; i < rounds; i++)); do
  kill_at_random "$import_ms" chantal --config "$cfg" -q db import --force "$SCRATCH/catalogue.json"
  verified "db import round $i"
  assert_eq "$view_v1" "$(packages --view all)" "view after killed import $i"
done

# ---------------------------------------------------------------- sync
# Each round switches upstream to the other state; a killed sync leaves
# latest in the state before or after the switch, never in between.
flavours=(main-v2 main)
before=$main_v1
for ((i = 0; i < rounds; i++)); do
  rm -rf "$upstream" && cp -a "$FIXTURES/${flavours[i % 2]}" "$upstream"
  kill_at_random "$sync_ms" chantal --config "$cfg" -q repo sync --repo-id main
  verified "sync round $i"
  got=$(packages --repo-id main)
  assert_exit 0 chantal --config "$cfg" -q repo sync --repo-id main
  after=$(packages --repo-id main)
  [[ $got == "$before" || $got == "$after" ]] || fail "sync $i left a partial latest: $got"
  assert_eq 0 "$(sqlite3 "$db" "SELECT count(*) FROM sync_history WHERE status = 'running'")" "running rows after sync $i"
  before=$after
done
log "ok: $rounds kill -9 rounds each of pool cleanup, snapshot create, view snapshot, db vacuum, export, db import, repo sync"
