#!/bin/bash
# Hosted APT repositories (type: apt, mode: hosted) filled by `chantal
# package upload` of .deb files, end to end with the real apt-get:
#  - the fixture .debs (dpkg-deb) uploaded into two components land in
#    Debian's pool layout; the generated tree is signed with the configured
#    key (gpgv accepts InRelease and Release.gpg with the served key);
#  - apt-get with signed-by = the served key updates through nginx on the
#    mount and downloads a package and its dependency (the fixture's bytes);
#  - refused, each leaving latest as it was (package list and InRelease):
#    a truncated .deb, the same package and version as different bytes
#    without --force, an .rpm, a component the repository lacks; and a .deb
#    into an RPM repository;
#  - --force replaces (apt-get then downloads the new bytes);
#  - a snapshot of the hosted repository stays identical after a later upload;
#  - an export holds the mount's bytes.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/apt_lib.sh
source "$(dirname "$0")/apt_lib.sh"

require_tools apt-get apt-cache dpkg-deb gpg gpgv nginx cmp rpmbuild
require_fuse
require_chantal
require_chantalfs
make_apt_repos apt-main
debs=$APT_FIXTURES/apt-debs
hello=$debs/chantal-hello_1.0-1_amd64.deb
data=$debs/chantal-data_1.0-1_all.deb
extra=$debs/chantal-extra_1.0-1_amd64.deb
newer=$debs/chantal-hello_3.0-1_amd64.deb

# A different file of chantal-hello 1.0-1 (same control data, other payload).
rebuilt_root=$SCRATCH/rebuilt
mkdir -p "$rebuilt_root/DEBIAN" "$rebuilt_root/usr/share/doc/chantal-hello"
dpkg-deb --ctrl-tarfile "$hello" | tar -xO ./control >"$rebuilt_root/DEBIAN/control" ||
  fail "cannot read the control file of $hello"
printf 'rebuilt\n' >"$rebuilt_root/usr/share/doc/chantal-hello/README"
rebuilt=$SCRATCH/chantal-hello_1.0-1_amd64-rebuilt.deb
dpkg-deb --root-owner-group --build "$rebuilt_root" "$rebuilt" >/dev/null || fail "dpkg-deb of the rebuilt package failed"
head -c "$(($(stat -c %s "$newer") - 64))" "$newer" >"$SCRATCH/truncated.deb"
# A real RPM, for the refusal of another format.
top=$SCRATCH/rpmbuild
mkdir -p "$top"
printf 'Name: stray\nVersion: 1.0\nRelease: 1\nSummary: s\nLicense: MIT\nBuildArch: noarch\n%%description\ns\n%%files\n' \
  >"$top/stray.spec"
rpmbuild --quiet --define "_topdir $top" -bb "$top/stray.spec" </dev/null >/dev/null 2>&1 || fail "rpmbuild failed"
rpm_file=$top/RPMS/noarch/stray-1.0-1.noarch.rpm

cfg=$SCRATCH/config.yaml
chantal_config_base "$SCRATCH/state" >"$cfg"
cat >>"$cfg" <<CONFIG
repositories:
  - id: local
    name: Local Debian packages
    type: apt
    mode: hosted
    apt:
      distribution: internal
      components: [main, contrib]
      architectures: [amd64]
      origin: Example Hosted
    gpg:
      generate_key: true
      key_name: Hosted Archive
      key_email: hosted@example.invalid
      public_key_name: hosted-archive-key.asc
  - id: rpms
    mode: hosted
CONFIG
assert_exit 0 chantal --config "$cfg" --format json config check
assert_contains "$ASSERT_OUT" '"mode": "hosted"'
assert_exit 0 chantal --config "$cfg" init
assert_exit 1 chantal --config "$cfg" repo sync --repo-id local
assert_contains "$ASSERT_ERR" "repo local is hosted"

# ---- uploads
assert_exit 0 chantal --config "$cfg" --format json package upload --repo-id local "$hello" "$data"
assert_contains "$ASSERT_OUT" '"status": "added"'
assert_contains "$ASSERT_OUT" '"path": "pool/main/c/chantal-hello/chantal-hello_1.0-1_amd64.deb"'
assert_contains "$ASSERT_OUT" '"path": "pool/main/c/chantal-data/chantal-data_1.0-1_all.deb"'
assert_contains "$ASSERT_OUT" '"nevra": "chantal-hello_1.0-1_amd64"'
assert_exit 0 chantal --config "$cfg" package upload --repo-id local --component contrib "$extra"
assert_contains "$ASSERT_OUT" "local: 1 added, 0 replaced, 0 unchanged; latest holds 3 packages"
assert_exit 0 chantal --config "$cfg" package upload --repo-id local "$hello" "$data"
assert_contains "$ASSERT_OUT" "0 added, 0 replaced, 2 unchanged"
assert_exit 0 chantal --config "$cfg" -q snapshot create --repo-id local --name s1

# ---- served: chantalfs + nginx, apt-get with our key
mnt=$SCRATCH/mnt
start_chantalfs "$cfg" "$mnt"
tree=$mnt/repos/local/latest
apt_check_signed_tree "$tree" internal hosted-archive-key.asc "$SCRATCH/hosted-keyring.gpg"
release=$(<"$tree/dists/internal/Release")
assert_contains "$release" "Origin: Example Hosted"
assert_contains "$release" "Suite: internal"
assert_contains "$release" "Components: contrib main"
packages=$(<"$tree/dists/internal/main/binary-amd64/Packages")
assert_contains "$packages" "Filename: pool/main/c/chantal-hello/chantal-hello_1.0-1_amd64.deb"
assert_contains "$packages" "Filename: pool/main/c/chantal-data/chantal-data_1.0-1_all.deb"
assert_contains "$packages" "SHA256: $(sha256sum <"$hello" | cut -d' ' -f1)"
assert_not_contains "$packages" "chantal-extra"
assert_contains "$(<"$tree/dists/internal/contrib/binary-amd64/Packages")" \
  "Filename: pool/contrib/c/chantal-extra/chantal-extra_1.0-1_amd64.deb"
cmp -s "$tree/pool/main/c/chantal-hello/chantal-hello_1.0-1_amd64.deb" "$hello" || fail "served package differs"

nport=$(start_nginx "$mnt")
line="http://127.0.0.1:$nport/repos/local/latest internal main contrib"
root=$(APT_SIGNED_BY="$SCRATCH/hosted-keyring.gpg" apt_get_root "$SCRATCH/apt" "$line")
sed -i '/^deb-src /d' "$root/sources.list"  # a hosted repository of .debs has no Sources
assert_exit 0 apt_offline "$root" update
assert_exit 0 apt_offline "$root" install --download-only chantal-hello chantal-extra
cmp -s "$root/cache/archives/$(apt_deb_file chantal-hello 1.0-1 amd64)" "$hello" ||
  fail "apt-get downloaded other bytes than the uploaded chantal-hello"
cmp -s "$root/cache/archives/$(apt_deb_file chantal-data 1.0-1 all)" "$data" ||
  fail "apt-get did not download the dependency chantal-data as uploaded"
[[ -f $root/cache/archives/$(apt_deb_file chantal-extra 1.0-1 amd64) ]] || fail "no chantal-extra from contrib"

# ---- refusals leave latest as it was
latest_state() {
  chantal --config "$cfg" --format json package list --repo-id local
  cat "$tree/dists/internal/InRelease"
}
before=$(latest_state)
assert_exit 1 chantal --config "$cfg" package upload --repo-id local "$newer" "$SCRATCH/truncated.deb"
assert_contains "$ASSERT_ERR" "$SCRATCH/truncated.deb: "
assert_exit 1 chantal --config "$cfg" package upload --repo-id local "$newer" "$rebuilt"
assert_contains "$ASSERT_ERR" "a different file than $rebuilt of chantal-hello_1.0-1_amd64; upload with --force"
assert_exit 1 chantal --config "$cfg" package upload --repo-id local "$newer" "$rpm_file"
assert_contains "$ASSERT_ERR" "$rpm_file holds a package of another format (RPM package); repo local is type apt"
assert_exit 1 chantal --config "$cfg" package upload --repo-id local --component non-free "$newer"
assert_contains "$ASSERT_ERR" "repo local has no component non-free (apt.components: main, contrib)"
assert_exit 1 chantal --config "$cfg" package upload --repo-id rpms "$newer"
assert_contains "$ASSERT_ERR" "(Debian package (.deb)); repo rpms is type rpm"
sleep 1  # a latest change would be visible by now
assert_eq "$before" "$(latest_state)" "latest after refused uploads"

# ---- --force replaces; apt-get then fetches the new bytes
old_inrelease=$(<"$tree/dists/internal/InRelease")
assert_exit 0 chantal --config "$cfg" package upload --repo-id local --force "$rebuilt"
assert_contains "$ASSERT_OUT" "0 added, 1 replaced, 0 unchanged"
latest_moved() { [[ $(<"$tree/dists/internal/InRelease") != "$old_inrelease" ]]; }
wait_until 10 latest_moved
assert_contains "$(<"$tree/dists/internal/main/binary-amd64/Packages")" "SHA256: $(sha256sum <"$rebuilt" | cut -d' ' -f1)"
apt_clean_downloads "$root"
assert_exit 0 apt_offline "$root" update
assert_exit 0 apt_offline "$root" install --download-only chantal-hello
cmp -s "$root/cache/archives/$(apt_deb_file chantal-hello 1.0-1 amd64)" "$rebuilt" ||
  fail "apt-get did not download the replacing chantal-hello"

# ---- a snapshot stays as it was after another upload
snapshot=$mnt/repos/local/snapshots/s1
s1_listing=$(cd "$snapshot" && find . -type f -exec sha256sum {} + | LC_ALL=C sort)
old_inrelease=$(<"$tree/dists/internal/InRelease")
assert_exit 0 chantal --config "$cfg" package upload --repo-id local "$newer"
wait_until 10 latest_moved
assert_contains "$(<"$tree/dists/internal/main/binary-amd64/Packages")" "Version: 3.0-1"
assert_eq "$s1_listing" "$(cd "$snapshot" && find . -type f -exec sha256sum {} + | LC_ALL=C sort)" "snapshot s1's files"
assert_not_contains "$(<"$snapshot/dists/internal/main/binary-amd64/Packages")" "Version: 3.0-1"
snap=$(APT_SIGNED_BY="$SCRATCH/hosted-keyring.gpg" apt_get_root "$SCRATCH/apt-s1" \
  "http://127.0.0.1:$nport/repos/local/snapshots/s1 internal main")
sed -i '/^deb-src /d' "$snap/sources.list"
assert_exit 0 apt_offline "$snap" update
assert_exit 0 apt_offline "$snap" install --download-only chantal-hello
cmp -s "$snap/cache/archives/$(apt_deb_file chantal-hello 1.0-1 amd64)" "$hello" ||
  fail "snapshot s1 did not serve the first chantal-hello"

# ---- the same tree in an export
assert_exit 0 chantal --config "$cfg" export --repo-id local --dest "$SCRATCH/export"
for f in dists/internal/InRelease dists/internal/main/binary-amd64/Packages.xz hosted-archive-key.asc \
  pool/main/c/chantal-hello/chantal-hello_3.0-1_amd64.deb; do
  cmp -s "$tree/$f" "$SCRATCH/export/$f" || fail "export's $f differs from the mount's"
done
log "ok"
