#!/bin/bash
# Installer trees (kickstart/PXE): an upstream createrepo_c repo with a
# .treeinfo and small image files, served over HTTP, synced; every file the
# .treeinfo lists is readable through the mount with its listed sha256 in
# latest, in a snapshot, in a filtered repo's generated tree and in a view,
# and in an export; a lost or damaged installer file comes back (sync,
# --repair). A .treeinfo path that leaves the tree, a wrong checksum
# and a missing listed file each fail the sync clearly with latest unchanged;
# a repo without .treeinfo syncs silently.
source "$(dirname "$0")/lib.sh"
require_tools createrepo_c sha256sum python3
require_fuse
require_chantal
require_chantalfs
make_repos main lib

upstream=$SCRATCH/upstream
mkdir -p "$upstream"
copy_repo main "$upstream/tree"
cp -a "$FIXTURES/lib" "$upstream/plain"
cd "$upstream/tree"
mkdir -p images/pxeboot isolinux EFI/BOOT
head -c 8192 /dev/urandom >images/install.img
head -c 4096 /dev/urandom >images/pxeboot/vmlinuz
head -c 6144 /dev/urandom >images/pxeboot/initrd.img
cp images/pxeboot/vmlinuz isolinux/vmlinuz  # one content at two paths
head -c 2048 /dev/urandom >EFI/BOOT/BOOTX64.EFI
listed=(images/install.img images/pxeboot/vmlinuz images/pxeboot/initrd.img isolinux/vmlinuz EFI/BOOT/BOOTX64.EFI)
sum() { sha256sum "$1" | cut -d' ' -f1; }
# write_treeinfo [EXTRA_CHECKSUM_LINE]: the .treeinfo productmd writes for a
# BaseOS tree (variant repository ".", packages "Packages").
write_treeinfo() {
  {
    printf '[checksums]\n'
    for f in "${listed[@]}"; do printf '%s = sha256:%s\n' "$f" "$(sum "$f")"; done
    [[ $# -eq 0 ]] || printf '%s\n' "$1"
    printf '\n[general]\narch = noarch\nfamily = Chantal\nname = Chantal 1\npackagedir = Packages\nrepository = .\n'
    printf '\n[header]\ntype = productmd.treeinfo\nversion = 1.2\n'
    printf '\n[images-x86_64]\ninitrd = images/pxeboot/initrd.img\nkernel = images/pxeboot/vmlinuz\n'
    printf '\n[stage2]\nmainimage = images/install.img\n'
    printf '\n[variant-BaseOS]\nid = BaseOS\npackages = Packages\nrepository = .\ntype = variant\n'
  } >.treeinfo
}
write_treeinfo
cp .treeinfo "$SCRATCH/good.treeinfo"
cd "$SCRATCH"
port=$(start_http_server "$upstream")

config=$SCRATCH/config.yaml
{
  chantal_config_base "$SCRATCH/state"
  cat <<YAML
repositories:
  - id: tree
    feed: http://127.0.0.1:$port/tree
  - id: tree-filtered
    feed: http://127.0.0.1:$port/tree
    filters:
      patterns: {exclude: ["^chantal-multi$"]}
  - id: plain
    feed: http://127.0.0.1:$port/plain
views:
  - name: boot
    repos: [tree-filtered, plain]
YAML
} >"$config"
c() { chantal --config "$config" "$@"; }
c init >/dev/null
assert_exit 0 c repo sync --all
assert_not_contains "$ASSERT_ERR" "treeinfo" "a repo without .treeinfo syncs silently"
assert_not_contains "$ASSERT_ERR" "warning"
assert_exit 0 c -q snapshot create --repo-id tree --name s1
assert_exit 0 c -q snapshot create --view boot --name v1

assert_exit 0 c repo show --repo-id tree
assert_match "$ASSERT_OUT" "installer tree: +present: \.treeinfo and 5 listed file\(s\)"
assert_exit 0 c --format json repo show --repo-id tree
python3 -c 'import json,sys; t=json.load(sys.stdin)["installer_tree"]; assert t["files"]==6 and t["in_generated_trees"] and t["bytes"]>22000, t' <<<"$ASSERT_OUT"
assert_exit 0 c repo show --repo-id plain
assert_match "$ASSERT_OUT" "installer tree: +none"

mnt=$SCRATCH/mnt
start_chantalfs "$config" "$mnt"
# check_tree DIR: .treeinfo byte for byte, every listed file with its sha256,
# and the repodata a generated tree's .treeinfo points at ("repository = .").
check_tree() {
  local dir=$1 f
  assert_eq "$(sum "$SCRATCH/good.treeinfo")" "$(sum "$dir/.treeinfo")" "$dir/.treeinfo differs from upstream's"
  for f in "${listed[@]}"; do
    assert_eq "$(sum "$upstream/tree/$f")" "$(sum "$dir/$f")" "$dir/$f has the wrong bytes"
  done
  assert_file_exists "$dir/repodata/repomd.xml"
}
check_tree "$mnt/repos/tree/latest"
check_tree "$mnt/repos/tree/snapshots/s1"
check_tree "$mnt/repos/tree-filtered/latest"
check_tree "$mnt/views/boot/latest"
check_tree "$mnt/views/boot/snapshots/v1"
assert_file_missing "$mnt/repos/plain/latest/.treeinfo"
# The generated tree's repodata (at the root the .treeinfo names) lists its packages.
assert_match "$(ls "$mnt/repos/tree-filtered/latest/Packages")" "^[a-z]"
assert_exit 0 c export --repo-id tree-filtered --dest "$SCRATCH/export"
check_tree "$SCRATCH/export"

# expect_refused FRAGMENT: the sync of `tree` fails naming FRAGMENT, and
# latest (mount and catalogue) is as before.
expect_refused() {
  assert_exit 1 c repo sync --repo-id tree
  assert_contains "$ASSERT_ERR" "$1"
  assert_contains "$ASSERT_ERR" "tree"
  check_tree "$mnt/repos/tree/latest"
  assert_exit 0 c repo show --repo-id tree
  assert_match "$ASSERT_OUT" "installer tree: +present: \.treeinfo and 5 listed file\(s\)"
}
cd "$upstream/tree"
write_treeinfo "../../etc/passwd = sha256:$(sum images/install.img)"
cd "$SCRATCH"
expect_refused "'../../etc/passwd'"
cd "$upstream/tree"
write_treeinfo "/etc/passwd = sha256:$(sum images/install.img)"
cd "$SCRATCH"
expect_refused "'/etc/passwd'"
cd "$upstream/tree"
write_treeinfo "images//install.img = sha256:$(sum images/install.img)"
cd "$SCRATCH"
expect_refused "'images//install.img'"
# A wrong checksum (one the pool does not hold, so the file is fetched and checked).
cd "$upstream/tree"
write_treeinfo
sed -i "s|^images/install.img = sha256:.*|images/install.img = sha256:$(printf x | sha256sum | cut -d' ' -f1)|" .treeinfo
cd "$SCRATCH"
expect_refused "'images/install.img'"
# A listed file upstream does not have.
cd "$upstream/tree"
write_treeinfo "images/missing.img = sha256:$(sum images/install.img | tr 0-9a-f 1-9a-f0)"
cd "$SCRATCH"
expect_refused "'images/missing.img'"

# Upstream fixed again: the sync succeeds and serves the same tree.
cp "$SCRATCH/good.treeinfo" "$upstream/tree/.treeinfo"
assert_exit 0 c -q repo sync --repo-id tree
check_tree "$mnt/repos/tree/latest"

# A missing installer file in the pool is fetched again by the next sync, a
# damaged one by repo sync --repair.
image_sha=$(sum "$upstream/tree/images/install.img")
pooled=$SCRATCH/state/pool/${image_sha:0:2}/${image_sha:2:2}/${image_sha}_install.img
assert_file_exists "$pooled"
rm "$pooled"
assert_exit 0 c repo sync --repo-id tree
assert_contains "$ASSERT_OUT$ASSERT_ERR" "re-fetched 1 missing pool file"
check_tree "$mnt/repos/tree/latest"
printf 'X' | dd of="$pooled" bs=1 conv=notrunc status=none
assert_exit 0 c repo sync --repo-id tree --repair
assert_eq "$image_sha" "$(sum "$pooled")" "repair did not restore the installer image"
check_tree "$mnt/repos/tree/latest"
log "ok"
