#!/bin/bash
# The previous state of a moved `latest` stays readable (design.md §3): a
# mounted repos/ID/latest with nginx in front, upstream switching between two
# states, 10 syncs with `pool cleanup --grace-period 0` in between. After
# each sync every file the previous repomd.xml names is read through the
# mount and through nginx at 0, 0.3, 1 and 2.5 s after the sync returned:
# zero misses (no ENOENT/404 before the daemon notices the change, no
# EIO/500 after cleanup removed a retired file). Then:
#  - a second daemon mounted after the change serves the retired files too
#    (the catalogue, not a daemon's memory, records retirement);
#  - once storage.metadata_grace_period has passed, retired names are gone
#    from the mount and pool cleanup removes their files.
source "$(dirname "$0")/lib.sh"
require_tools cmp curl nginx
require_fuse
require_chantal
require_chantalfs
make_repos main main-v2

state=$SCRATCH/state
cfg=$SCRATCH/config.yaml
upstream=$SCRATCH/upstream
chantal_config_base "$state" >"$cfg"
sed -i 's|^storage:|storage:\n  metadata_grace_period: 20|' "$cfg"
cat >>"$cfg" <<CONFIG
repositories:
  - id: up
    feed: file://$upstream
CONFIG
cp -a "$FIXTURES/main" "$upstream"
chantal --config "$cfg" init >/dev/null
assert_exit 0 chantal --config "$cfg" -q repo sync --repo-id up

mnt=$SCRATCH/mnt
start_chantalfs "$cfg" "$mnt"
port=$(start_nginx "$mnt")
tree=repos/up/latest

# repodata files a repomd.xml names, one tree path per line.
repomd_files() { grep -o 'href="repodata/[^"]*"' "$1" | sed 's/^href="//; s/"$//'; }

misses=0
# read_all LABEL SAVED_DIR: read every file SAVED_DIR/list names through the
# mount and nginx; each must have the bytes saved when it was current.
read_all() {
  local label=$1 saved=$2 path
  while read -r path; do
    if ! cmp -s "$saved/$(basename "$path")" "$mnt/$tree/$path"; then
      log "miss ($label, mount): $path"
      misses=$((misses + 1))
    fi
    if ! curl -fsS "http://127.0.0.1:$port/$tree/$path" 2>>"$SCRATCH/curl.log" | cmp -s "$saved/$(basename "$path")" -; then
      log "miss ($label, nginx): $path"
      misses=$((misses + 1))
    fi
  done <"$saved/list"
}

# save_current DIR: the current repomd.xml and the files it names, as served.
save_current() {
  local dir=$1 path
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$mnt/$tree/repodata/repomd.xml" "$dir/repomd.xml"
  repomd_files "$dir/repomd.xml" >"$dir/list"
  [[ -s $dir/list ]] || fail "repomd.xml names no files"
  while read -r path; do cp "$mnt/$tree/$path" "$dir/$(basename "$path")"; done <"$dir/list"
}

flavours=(main-v2 main)
for ((round = 0; round < 10; round++)); do
  save_current "$SCRATCH/previous"
  rm -rf "$upstream" && cp -a "$FIXTURES/${flavours[round % 2]}" "$upstream"
  assert_exit 0 chantal --config "$cfg" -q repo sync --repo-id up
  start=$(date +%s.%N)
  for at in 0 0.3 1 2.5; do
    now=$(date +%s.%N)
    delay=$(awk -v s="$start" -v n="$now" -v a="$at" 'BEGIN { d = s + a - n; print (d > 0 ? d : 0) }')
    sleep "$delay"
    read_all "round $round at ${at}s" "$SCRATCH/previous"
  done
  assert_exit 0 chantal --config "$cfg" -q pool cleanup --grace-period 0
  read_all "round $round after cleanup" "$SCRATCH/previous"
done
assert_eq 0 "$misses" "previous repodata read misses in 10 syncs"

# The state before the last sync differs from the current one.
cmp -s "$SCRATCH/previous/repomd.xml" "$mnt/$tree/repodata/repomd.xml" && fail "last sync did not move latest"

# A daemon that never saw the previous state serves its files from the catalogue.
mnt2=$SCRATCH/mnt2
start_chantalfs "$cfg" "$mnt2"
while read -r path; do
  cmp -s "$SCRATCH/previous/$(basename "$path")" "$mnt2/$tree/$path" || fail "new mount cannot read retired $path"
done <"$SCRATCH/previous/list"
fusermount3 -u "$mnt2"
wait "$CHANTALFS_PID" || fail "second chantalfs exited with status $?"

# After the grace period the retired names are gone and cleanup frees them.
retired_path=$(head -n 1 "$SCRATCH/previous/list")
retired_sha=$(sha256sum "$SCRATCH/previous/$(basename "$retired_path")" | cut -d' ' -f1)
if grep -qx "$retired_path" <(repomd_files "$mnt/$tree/repodata/repomd.xml"); then
  fail "test setup: $retired_path is in both states"
fi
assert_exit 0 chantal --config "$cfg" -q pool cleanup --grace-period 0
[[ -n $(find "$state/pool" -name "${retired_sha}_*") ]] || fail "cleanup removed a retired file inside the grace period"
sleep 21
assert_file_missing "$mnt/$tree/$retired_path"
assert_exit 0 chantal --config "$cfg" -q pool cleanup --grace-period 0
[[ -z $(find "$state/pool" -name "${retired_sha}_*") ]] || fail "cleanup kept a retired file after the grace period"
assert_exit 0 chantal --config "$cfg" -q db verify
log "ok: 10 syncs, 0 misses; retired files served by a fresh mount, gone after the grace period"
