#!/bin/bash
# A view of APT repositories (design.md §2 "APT trees"), end to end with the
# real apt-get:
#  - members: a mirror of a signed upstream (main and contrib) and a filtered
#    repository of a second upstream that has a newer chantal-hello; the
#    same chantal-data .deb is in both (one package, no conflict);
#  - the view's generated tree has dists/fleet/ (the view's name as suite),
#    Release/InRelease/Release.gpg signed with the view's key, Packages per
#    component merging both members, and every package in Debian's pool
#    layout;
#  - apt-get with signed-by = the view's key updates through nginx on the
#    mount, sees both members' versions and downloads each member's bytes;
#  - a view snapshot stays byte-identical after a member's upstream moves,
#    while the view's latest follows.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/apt_lib.sh
source "$(dirname "$0")/apt_lib.sh"

require_tools apt-get apt-cache apt-ftparchive dpkg-deb gpg gpgv nginx cmp
require_fuse
require_chantal
require_chantalfs
make_apt_repos apt-main
debs=$APT_FIXTURES/apt-debs
up=$SCRATCH/upstream
copy_apt_repo apt-main "$up/base"
copy_apt_repo apt-main "$up/newer"
apt_add_file "$up/newer" main chantal-hello_3.0-1_amd64.deb
reindex_apt_repo "$up/newer"
uport=$(start_http_server "$up")

cfg=$SCRATCH/config.yaml
chantal_config_base "$SCRATCH/state" >"$cfg"
cat >>"$cfg" <<CONFIG
repositories:
  - id: base
    type: apt
    feed: http://127.0.0.1:$uport/base
    apt:
      distribution: stable
      components: [main, contrib]
      architectures: [amd64]
    verify:
      key_files: [$APT_FIXTURES/apt-gnupg/archive-key.asc]
  - id: newer
    type: apt
    feed: http://127.0.0.1:$uport/newer
    apt:
      distribution: stable
      components: [main]
      architectures: [amd64]
    verify:
      key_files: [$APT_FIXTURES/apt-gnupg/archive-key.asc]
    filters:
      patterns: {include: ['^chantal-(hello|data)\$']}
views:
  - name: fleet
    repos: [newer, base]
    gpg:
      generate_key: true
      key_name: Fleet Archive
      key_email: fleet@example.invalid
      public_key_name: fleet-archive-key.asc
CONFIG
assert_exit 0 chantal --config "$cfg" init
assert_exit 0 chantal --config "$cfg" repo sync --all
assert_exit 0 chantal --config "$cfg" view show --name fleet
assert_contains "$ASSERT_OUT" "newer"
assert_contains "$ASSERT_OUT" "base"

mnt=$SCRATCH/mnt
start_chantalfs "$cfg" "$mnt"
tree=$mnt/views/fleet/latest
apt_check_signed_tree "$tree" fleet fleet-archive-key.asc "$SCRATCH/fleet-keyring.gpg"
release=$(<"$tree/dists/fleet/Release")
assert_contains "$release" "Suite: fleet"
assert_contains "$release" "Acquire-By-Hash: yes"
assert_contains "$release" "Components: contrib main"
assert_contains "$release" "Architectures: amd64"
packages=$(<"$tree/dists/fleet/main/binary-amd64/Packages")
index=$tree/dists/fleet/main/binary-amd64
cmp -s "$index/Packages" "$index/by-hash/SHA256/$(sha256sum <"$index/Packages" | cut -d' ' -f1)" ||
  fail "the view's Packages has no by-hash copy"
# Every chantal-hello version: 3.0-1 from newer alone, the others from both
# members (the same files: one stanza each).
for version in 1.0-1 1.0-2 2.0~rc1-1 1:0.9-1 3.0-1; do
  assert_contains "$packages" "Version: $version"
done
assert_eq 1 "$(grep -c '^Package: chantal-data$' <<<"$packages")" "chantal-data stanzas (one file in both members)"
assert_eq 5 "$(grep -c '^Package: chantal-hello$' <<<"$packages")" "chantal-hello stanzas"
assert_contains "$(<"$tree/dists/fleet/contrib/binary-amd64/Packages")" $'Package: chantal-extra\n'
assert_contains "$packages" "Filename: pool/main/c/chantal-hello/chantal-hello_3.0-1_amd64.deb"
cmp -s "$tree/pool/main/c/chantal-hello/chantal-hello_3.0-1_amd64.deb" "$debs/chantal-hello_3.0-1_amd64.deb" ||
  fail "the view serves other bytes than the fixture's chantal-hello 3.0-1"
cmp -s "$tree/pool/contrib/c/chantal-extra/chantal-extra_1.0-1_amd64.deb" "$debs/chantal-extra_1.0-1_amd64.deb" ||
  fail "the view serves other bytes than the fixture's chantal-extra"

nport=$(start_nginx "$mnt")
root=$(APT_SIGNED_BY="$SCRATCH/fleet-keyring.gpg" apt_get_root "$SCRATCH/apt" "http://127.0.0.1:$nport/views/fleet/latest fleet main contrib")
assert_exit 0 apt_offline "$root" update
assert_exit 0 apt_cache "$root" madison chantal-hello
assert_contains "$ASSERT_OUT" "3.0-1"
assert_contains "$ASSERT_OUT" "1:0.9-1"
assert_exit 0 apt_offline "$root" install --download-only chantal-hello=3.0-1 chantal-extra
cmp -s "$root/cache/archives/$(apt_deb_file chantal-hello 3.0-1 amd64)" "$debs/chantal-hello_3.0-1_amd64.deb" ||
  fail "apt-get downloaded other bytes than the fixture's chantal-hello 3.0-1"
cmp -s "$root/cache/archives/$(apt_deb_file chantal-extra 1.0-1 amd64)" "$debs/chantal-extra_1.0-1_amd64.deb" ||
  fail "apt-get downloaded other bytes than the fixture's chantal-extra"

# A view snapshot stays the same bytes after newer's upstream drops 3.0-1.
assert_exit 0 chantal --config "$cfg" snapshot create --view fleet --name frozen
frozen=$mnt/views/fleet/snapshots/frozen
wait_until 20 test -f "$frozen/dists/fleet/InRelease"
cp "$frozen/dists/fleet/InRelease" "$SCRATCH/frozen-InRelease"
cp "$frozen/dists/fleet/main/binary-amd64/Packages" "$SCRATCH/frozen-Packages"
rm "$up/newer/$(apt_pool_path main chantal-hello_3.0-1_amd64.deb)"
reindex_apt_repo "$up/newer"
assert_exit 0 chantal --config "$cfg" repo sync --repo-id newer
wait_until 20 bash -c "! grep -q 'Version: 3.0-1' '$tree/dists/fleet/main/binary-amd64/Packages'"
cmp -s "$frozen/dists/fleet/InRelease" "$SCRATCH/frozen-InRelease" || fail "the view snapshot's InRelease changed"
cmp -s "$frozen/dists/fleet/main/binary-amd64/Packages" "$SCRATCH/frozen-Packages" ||
  fail "the view snapshot's Packages changed"
[[ -f $frozen/pool/main/c/chantal-hello/chantal-hello_3.0-1_amd64.deb ]] || fail "the view snapshot lost chantal-hello 3.0-1"
snap=$(APT_SIGNED_BY="$SCRATCH/fleet-keyring.gpg" apt_get_root "$SCRATCH/apt-snap" "http://127.0.0.1:$nport/views/fleet/snapshots/frozen fleet main")
assert_exit 0 apt_offline "$snap" update
assert_exit 0 apt_offline "$snap" install --download-only chantal-hello=3.0-1
log "ok"
