#!/bin/bash
# Filtered APT repositories (type: apt, mode: filtered): a generated, signed
# tree (design.md §2 "APT trees"), end to end with the real apt-get:
#  - filters.patterns and only_latest_version (Debian version order: the
#    epoch 1:0.9-1 is newest) select from a signed fixture upstream;
#  - the tree has dists/<suite>/Release, InRelease and Release.gpg signed
#    with the configured key (gpgv accepts them with the served public key),
#    Packages/.gz/.xz per component and architecture with Filename rewritten
#    to Debian's pool layout, Sources with Directory rewritten, and only
#    what the filters kept;
#  - apt-get with signed-by = the served key updates through nginx on the
#    mount and downloads the selected package and its dependency (the
#    fixture's bytes), and apt-get source gets the source package;
#  - the generated files are the same bytes on a second mount and in an export.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/apt_lib.sh
source "$(dirname "$0")/apt_lib.sh"

require_tools apt-get apt-cache apt-ftparchive dpkg-deb gpg gpgv xz nginx cmp
require_fuse
require_chantal
require_chantalfs
make_apt_repos apt-main
debs=$APT_FIXTURES/apt-debs
up=$SCRATCH/upstream
copy_apt_repo apt-main "$up/apt-main"
uport=$(start_http_server "$up")

cfg=$SCRATCH/config.yaml
chantal_config_base "$SCRATCH/state" >"$cfg"
cat >>"$cfg" <<CONFIG
repositories:
  - id: picked
    type: apt
    feed: http://127.0.0.1:$uport/apt-main
    mode: filtered
    apt:
      distribution: stable
      components: [main, contrib]
      architectures: [amd64]
      include_source_packages: true
      suite: picked
      origin: Example Mirror
    verify:
      key_files: [$APT_FIXTURES/apt-gnupg/archive-key.asc]
    filters:
      patterns: {include: ['^chantal-(hello|data)\$']}
      post_processing: {only_latest_version: true}
    gpg:
      generate_key: true
      key_name: Mirror Archive
      key_email: mirror@example.invalid
      public_key_name: mirror-archive-key.asc
CONFIG
assert_exit 0 chantal --config "$cfg" init
assert_exit 0 chantal --config "$cfg" repo sync --repo-id picked
# A generated tree reads one variant of each upstream index and serves none
# of them: the sync fetched each Packages and Sources index once, as .xz.
http_log=$(<"$SCRATCH/http-$uport.log")
assert_contains "$http_log" "GET /apt-main/dists/stable/main/binary-amd64/Packages.xz "
assert_contains "$http_log" "GET /apt-main/dists/stable/main/source/Sources.xz "
if grep -E 'GET [^ ]*/(Packages|Sources)(\.gz)? ' "$SCRATCH/http-$uport.log"; then
  fail "the filtered sync fetched an index variant it does not read (above)"
fi
grep -q 'main/binary-amd64/Packages.gz$' "$up/apt-main/dists/stable/Release" ||
  fail "the fixture's Release lists no Packages.gz: the check above proves nothing"

mnt=$SCRATCH/mnt
start_chantalfs "$cfg" "$mnt"
tree=$mnt/repos/picked/latest
apt_check_signed_tree "$tree" picked mirror-archive-key.asc "$SCRATCH/mirror-keyring.gpg"
release=$(<"$tree/dists/picked/Release")
assert_contains "$release" "Origin: Example Mirror"
assert_contains "$release" "Suite: picked"
assert_contains "$release" "Components: contrib main"
assert_contains "$release" "Architectures: amd64"
# Every index the Release lists is there with its size and sha256.
while read -r sum size path; do
  [[ -f $tree/dists/picked/$path ]] || fail "Release lists $path, which the tree lacks"
  assert_eq "$size" "$(stat -c %s "$tree/dists/picked/$path")" "size of $path"
  assert_eq "$sum" "$(sha256sum <"$tree/dists/picked/$path" | cut -d' ' -f1)" "sha256 of $path"
done < <(awk '/^SHA256:/ {s = 1; next} /^[^ ]/ {s = 0} s {print $1, $2, $3}' "$tree/dists/picked/Release")
for f in Packages Packages.gz Packages.xz; do
  [[ -f $tree/dists/picked/main/binary-amd64/$f ]] || fail "no main/binary-amd64/$f"
  [[ -f $tree/dists/picked/contrib/binary-amd64/$f ]] || fail "no contrib/binary-amd64/$f (empty, but present)"
done
cmp -s <(xz -dc "$tree/dists/picked/main/binary-amd64/Packages.xz") "$tree/dists/picked/main/binary-amd64/Packages" ||
  fail "Packages.xz does not decompress to Packages"
packages=$(<"$tree/dists/picked/main/binary-amd64/Packages")
# only_latest_version keeps the epoch version of chantal-hello; the filter
# leaves chantal-extra (contrib) out.
assert_contains "$packages" $'Package: chantal-hello\n'
assert_contains "$packages" "Version: 1:0.9-1"
assert_not_contains "$packages" "Version: 2.0~rc1-1"
assert_not_contains "$packages" "Version: 1.0-2"
assert_contains "$packages" $'Package: chantal-data\n'
assert_not_contains "$packages" "chantal-extra"
assert_contains "$packages" "Filename: pool/main/c/chantal-hello/chantal-hello_0.9-1_amd64.deb"
assert_eq "" "$(<"$tree/dists/picked/contrib/binary-amd64/Packages")" "contrib's Packages (all filtered out)"
cmp -s "$tree/pool/main/c/chantal-hello/chantal-hello_0.9-1_amd64.deb" "$debs/chantal-hello_0.9-1_amd64.deb" ||
  fail "the package in the pool layout is not the fixture's"
sources=$(<"$tree/dists/picked/main/source/Sources")
assert_contains "$sources" "Directory: pool/main/c/chantal-hello"
while read -r name; do
  [[ -f $tree/pool/main/c/chantal-hello/$name ]] || fail "Sources lists $name, which pool/main/c/chantal-hello/ lacks"
done < <(awk '/^Files:/ {s = 1; next} /^[^ ]/ {s = 0} s {print $3}' "$tree/dists/picked/main/source/Sources")

# apt-get through nginx on the mount, with the served key.
nport=$(start_nginx "$mnt")
root=$(APT_SIGNED_BY="$SCRATCH/mirror-keyring.gpg" apt_get_root "$SCRATCH/apt" "http://127.0.0.1:$nport/repos/picked/latest picked main contrib")
assert_exit 0 apt_offline "$root" update
assert_exit 0 apt_offline "$root" install --download-only chantal-hello
cmp -s "$root/cache/archives/$(apt_deb_file chantal-hello 1:0.9-1 amd64)" "$debs/chantal-hello_0.9-1_amd64.deb" ||
  fail "apt-get downloaded other bytes than the fixture's chantal-hello"
ls "$root/cache/archives/" | grep -q '^chantal-data_' || fail "apt-get did not download the dependency chantal-data"
# Another key does not verify the tree.
other=$(APT_SIGNED_BY="$APT_FIXTURES/apt-gnupg/archive-keyring.gpg" apt_get_root "$SCRATCH/apt-other" "http://127.0.0.1:$nport/repos/picked/latest picked main")
assert_exit 100 apt_offline "$other" update
assert_contains "$ASSERT_OUT$ASSERT_ERR" "NO_PUBKEY"

# The CLI names APT packages as apt does.
assert_exit 0 chantal --config "$cfg" package show chantal-data
assert_contains "$ASSERT_OUT" "chantal-data_1.0-1_all"
assert_contains "$ASSERT_OUT" "source package: chantal-data"
assert_contains "$ASSERT_OUT" "(installed 1.0 KiB)"  # Installed-Size: 1 (KiB)

# The same generated bytes in an export.
assert_exit 0 chantal --config "$cfg" export --repo-id picked --dest "$SCRATCH/export"
for f in InRelease Release Release.gpg main/binary-amd64/Packages.xz main/source/Sources.gz; do
  cmp -s "$tree/dists/picked/$f" "$SCRATCH/export/dists/picked/$f" || fail "export's $f differs from the mount's"
done

# An upstream that lists Packages.xz in its Release but does not publish it:
# the sync falls back to the next variant the Release lists (.gz).
copy_apt_repo apt-main "$up/apt-no-xz"
rm "$up/apt-no-xz/dists/stable/main/binary-amd64/Packages.xz"
grep -q 'main/binary-amd64/Packages.xz$' "$up/apt-no-xz/dists/stable/Release" ||
  fail "the fixture's Release lists no Packages.xz: the fallback below proves nothing"
# (Its own state: a pool holding the .xz's bytes would not download it.)
sed -e "s#/apt-main\$#/apt-no-xz#" -e "s/id: picked/id: picked-no-xz/" -e "s#$SCRATCH/state#$SCRATCH/state-no-xz#" \
  "$cfg" >"$SCRATCH/no-xz.yaml"
assert_exit 0 chantal --config "$SCRATCH/no-xz.yaml" init
assert_exit 0 chantal --config "$SCRATCH/no-xz.yaml" repo sync --repo-id picked-no-xz
assert_contains "$(<"$SCRATCH/http-$uport.log")" "GET /apt-no-xz/dists/stable/main/binary-amd64/Packages.gz "
assert_exit 0 chantal --config "$SCRATCH/no-xz.yaml" package list --repo-id picked-no-xz
assert_contains "$ASSERT_OUT" "chantal-hello"
log "ok"
