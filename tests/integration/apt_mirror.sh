#!/bin/bash
# APT mirror repositories (type: apt, mode: mirror) end to end, with the real
# apt-get (design.md §2 "APT trees"): signed fixture upstreams served over
# HTTP -> repo sync -> chantalfs mount -> nginx -> apt-get.
#  (a) the mirror tree is upstream byte for byte (InRelease, Release,
#      Release.gpg, the indexes, packages at their Filename: paths, source
#      files at their Directory: paths); apt-get with signed-by = upstream's
#      keyring updates, downloads chantal-hello and its dependency (the
#      fixture's bytes) and the source package;
#  (b) an Acquire-By-Hash upstream is mirrored with its by-hash/ copies and
#      apt-get reads the mirror through by-hash/ (nginx access log);
#  (c) after an upstream change (3.0-1 added, 1.0-1 removed, re-signed) a
#      sync moves latest, and snapshot `before` still is the old upstream:
#      same InRelease and Packages, and apt-get downloads 1.0-1 from it;
#  (d) a bad upstream (bad signature, expired Valid-Until, truncated
#      Packages.xz, a signed Packages.xz larger than the Release says or not
#      xz at all, a stanza without Version, Filename leaving the tree) fails
#      the sync with an error naming it, and latest is unchanged; a stanza
#      listed twice is one package.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/apt_lib.sh
source "$(dirname "$0")/apt_lib.sh"

require_tools apt-get apt-cache apt-ftparchive dpkg-deb gpg gpgv xz nginx cmp
require_fuse
require_chantal
require_chantalfs
make_apt_repos apt-main apt-byhash
keyring=$APT_FIXTURES/apt-gnupg/archive-keyring.gpg
debs=$APT_FIXTURES/apt-debs

# Upstreams over HTTP (private copies: debian's upstream changes mid-test).
up=$SCRATCH/upstream
copy_apt_repo apt-main "$up/apt-main"
copy_apt_repo apt-byhash "$up/apt-byhash"
uport=$(start_http_server "$up")

cfg=$SCRATCH/config.yaml
chantal_config_base "$SCRATCH/state" >"$cfg"
cat >>"$cfg" <<CONFIG
repositories:
  - id: debian
    type: apt
    feed: http://127.0.0.1:$uport/apt-main
    mode: mirror
    apt:
      distribution: stable
      components: [main, contrib]
      architectures: [amd64]
      include_source_packages: true
      by_hash: true
    verify:
      enabled: true
      repo_gpgcheck: true
      key_files: [$APT_FIXTURES/apt-gnupg/archive-key.asc]
  - id: byhash
    type: apt
    feed: http://127.0.0.1:$uport/apt-byhash
    mode: mirror
    apt:
      distribution: stable
      components: [main, contrib]
      architectures: [amd64]
      include_source_packages: true
      by_hash: true
    verify:
      enabled: true
      repo_gpgcheck: true
      key_files: [$APT_FIXTURES/apt-gnupg/archive-key.asc]
CONFIG
assert_exit 0 chantal --config "$cfg" init
assert_exit 0 chantal --config "$cfg" repo sync --repo-id debian
assert_exit 0 chantal --config "$cfg" repo sync --repo-id byhash

mnt=$SCRATCH/mnt
start_chantalfs "$cfg" "$mnt"
wait_until 10 test -f "$mnt/repos/debian/latest/dists/stable/InRelease"
nport=$(start_nginx "$mnt")
nginx_log=$SCRATCH/nginx-$nport/logs/access.log
mirror=http://127.0.0.1:$nport

# same_file A B [MSG]: A and B have the same bytes.
same_file() { cmp -s "$1" "$2" || fail "${3:-files differ}: $1 vs $2"; }
# release_files DIR: the paths Release lists (SHA256 section), one per line.
release_files() { awk '/^SHA256:/ {s = 1; next} /^[^ ]/ {s = 0} s {print $3}' "$1/Release"; }

# ---------------------------------------------------------------- (a) the mirror tree and apt-get
latest=$mnt/repos/debian/latest
upstream=$up/apt-main
for f in InRelease Release Release.gpg; do
  same_file "$upstream/dists/stable/$f" "$latest/dists/stable/$f" "mirror $f is not upstream's"
done
# Every index Release lists for main and contrib, amd64 and source.
n=0
while read -r f; do
  case $f in main/binary-amd64/* | contrib/binary-amd64/* | main/source/* | contrib/source/*) ;; *) continue ;; esac
  same_file "$upstream/dists/stable/$f" "$latest/dists/stable/$f" "mirror index $f is not upstream's"
  n=$((n + 1))
done < <(release_files "$upstream/dists/stable")
((n >= 16)) || fail "only $n index files checked"
for f in Packages Packages.gz Packages.xz; do
  same_file "$upstream/dists/stable/main/binary-amd64/$f" "$latest/dists/stable/main/binary-amd64/$f"
done
# Packages at upstream's Filename: paths, source files at Directory:/name.
while read -r f; do
  same_file "$upstream/$f" "$latest/$f" "package $f"
done < <(cat "$upstream"/dists/stable/{main,contrib}/binary-amd64/Packages | sed -n 's/^Filename: //p')
for f in chantal-hello_1.0-2.dsc chantal-hello_1.0.orig.tar.gz chantal-hello_1.0-2.debian.tar.xz; do
  same_file "$debs/$f" "$latest/pool/main/c/chantal-hello/$f" "source file $f"
done
assert_file_exists "$latest/pool/contrib/c/chantal-extra/chantal-extra_1.0-1_amd64.deb"

# apt-get against the mirror, trusting only upstream's key.
root=$(APT_SIGNED_BY=$keyring apt_get_root "$SCRATCH/apt-latest" "$mirror/repos/debian/latest stable main contrib")
assert_exit 0 apt_offline "$root" update
assert_exit 0 apt_cache "$root" policy chantal-hello
assert_contains "$ASSERT_OUT" "Candidate: 1:0.9-1"   # the epoch wins (dpkg --compare-versions)
assert_exit 0 apt_offline "$root" install --download-only chantal-hello
assert_eq "$(apt_deb_file chantal-data 1.0-1 all)"$'\n'"$(apt_deb_file chantal-hello 1:0.9-1 amd64)" "$(apt_downloaded "$root")"
same_file "$debs/chantal-hello_0.9-1_amd64.deb" "$root/cache/archives/$(apt_deb_file chantal-hello 1:0.9-1 amd64)"
same_file "$debs/chantal-data_1.0-1_all.deb" "$root/cache/archives/chantal-data_1.0-1_all.deb"
apt_clean_downloads "$root"
assert_exit 0 apt_offline "$root" install --download-only chantal-hello=1.0-1 chantal-extra
same_file "$debs/chantal-hello_1.0-1_amd64.deb" "$root/cache/archives/chantal-hello_1.0-1_amd64.deb"
same_file "$debs/chantal-extra_1.0-1_amd64.deb" "$root/cache/archives/chantal-extra_1.0-1_amd64.deb"
# deb-src through the mirror.
mkdir -p "$SCRATCH/src"
(cd "$SCRATCH/src" && apt_offline "$root" source --download-only chantal-hello) >"$SCRATCH/src.log" 2>&1 ||
  fail "apt-get source through the mirror failed:"$'\n'"$(<"$SCRATCH/src.log")"
for f in chantal-hello_1.0-2.dsc chantal-hello_1.0.orig.tar.gz chantal-hello_1.0-2.debian.tar.xz; do
  same_file "$debs/$f" "$SCRATCH/src/$f" "apt-get source: $f"
done
# apt-get read everything from nginx (the mirror), nothing failed there.
assert_contains "$(<"$nginx_log")" "GET /repos/debian/latest/dists/stable/InRelease HTTP/1.1\" 200"
assert_not_contains "$(<"$nginx_log")" "\" 404 "

# ---------------------------------------------------------------- (b) by-hash
bh_latest=$mnt/repos/byhash/latest
n=0
while read -r f; do
  rel=${f#"$up/apt-byhash/"}
  case $rel in dists/stable/main/binary-amd64/* | dists/stable/contrib/binary-amd64/* | dists/stable/*/source/*) ;; *) continue ;; esac
  same_file "$f" "$bh_latest/$rel" "by-hash copy $rel"
  n=$((n + 1))
done < <(find "$up/apt-byhash/dists" -path '*/by-hash/SHA256/*' -type f)
((n >= 12)) || fail "only $n by-hash copies checked"
same_file "$up/apt-byhash/dists/stable/InRelease" "$bh_latest/dists/stable/InRelease"
root=$(APT_SIGNED_BY=$keyring apt_get_root "$SCRATCH/apt-byhash" "$mirror/repos/byhash/latest stable main contrib")
assert_exit 0 apt_offline "$root" update
assert_match "$(<"$nginx_log")" "GET /repos/byhash/latest/dists/stable/main/binary-amd64/by-hash/SHA256/[0-9a-f]{64} HTTP/1.1\" 200"
assert_not_contains "$(<"$nginx_log")" "GET /repos/byhash/latest/dists/stable/main/binary-amd64/Packages"
assert_exit 0 apt_offline "$root" install --download-only chantal-hello
same_file "$debs/chantal-hello_0.9-1_amd64.deb" "$root/cache/archives/$(apt_deb_file chantal-hello 1:0.9-1 amd64)"

# ---------------------------------------------------------------- (c) snapshot, upstream change, sync
assert_exit 0 chantal --config "$cfg" snapshot create --repo-id debian --name before
wait_until 10 test -f "$mnt/repos/debian/snapshots/before/dists/stable/InRelease"
old=$SCRATCH/old-upstream
cp -a "$upstream" "$old"
apt_add_file "$upstream" main chantal-hello_3.0-1_amd64.deb
rm "$upstream/$(apt_pool_path main chantal-hello_1.0-1_amd64.deb)"
reindex_apt_repo "$upstream"
assert_exit 0 chantal --config "$cfg" repo sync --repo-id debian
wait_until 10 cmp -s "$upstream/dists/stable/InRelease" "$latest/dists/stable/InRelease"
for f in Release Release.gpg main/binary-amd64/Packages main/binary-amd64/Packages.xz main/binary-amd64/Packages.gz; do
  same_file "$upstream/dists/stable/$f" "$latest/dists/stable/$f" "latest $f after the change"
done
assert_contains "$(<"$latest/dists/stable/main/binary-amd64/Packages")" $'Version: 3.0-1\n'
assert_not_contains "$(<"$latest/dists/stable/main/binary-amd64/Packages")" "Filename: pool/main/c/chantal-hello/chantal-hello_1.0-1_amd64.deb"
same_file "$debs/chantal-hello_3.0-1_amd64.deb" "$latest/pool/main/c/chantal-hello/chantal-hello_3.0-1_amd64.deb"
# Gone from latest's listing; by name it stays readable for
# storage.metadata_grace_period (a client that read the previous Release).
assert_not_contains "$(ls "$latest/pool/main/c/chantal-hello/")" "chantal-hello_1.0-1_amd64.deb"
# The snapshot is the old upstream.
before=$mnt/repos/debian/snapshots/before
for f in InRelease Release Release.gpg main/binary-amd64/Packages main/binary-amd64/Packages.xz main/source/Sources; do
  same_file "$old/dists/stable/$f" "$before/dists/stable/$f" "snapshot before: $f"
done
same_file "$debs/chantal-hello_1.0-1_amd64.deb" "$before/pool/main/c/chantal-hello/chantal-hello_1.0-1_amd64.deb"
assert_file_missing "$before/pool/main/c/chantal-hello/chantal-hello_3.0-1_amd64.deb"
# apt-get: latest offers 3.0-1 (a client of latest sees the newer Release),
# the snapshot still 1.0-1.
root=$SCRATCH/apt-latest
apt_clean_downloads "$root"
assert_exit 0 apt_offline "$root" update
assert_exit 0 apt_cache "$root" madison chantal-hello
assert_contains "$ASSERT_OUT" " 3.0-1 "
assert_not_contains "$ASSERT_OUT" " 1.0-1 "
assert_exit 0 apt_offline "$root" install --download-only chantal-hello=3.0-1
same_file "$debs/chantal-hello_3.0-1_amd64.deb" "$root/cache/archives/chantal-hello_3.0-1_amd64.deb"
root=$(APT_SIGNED_BY=$keyring apt_get_root "$SCRATCH/apt-before" "$mirror/repos/debian/snapshots/before stable main contrib")
assert_exit 0 apt_offline "$root" update
assert_exit 0 apt_offline "$root" install --download-only chantal-hello=1.0-1
same_file "$debs/chantal-hello_1.0-1_amd64.deb" "$root/cache/archives/chantal-hello_1.0-1_amd64.deb"

# ---------------------------------------------------------------- (d) bad upstreams leave latest alone
good=$SCRATCH/good-upstream
cp -a "$upstream" "$good"
good_inrelease=$good/dists/stable/InRelease
same_file "$good_inrelease" "$latest/dists/stable/InRelease"
# serve_good: upstream back to the good state, with a new Release (Date one
# day on), so that a sync has something new to look at.
serve_good() {
  rm -rf "$upstream"
  cp -a "$good" "$upstream"
}
# latest_unchanged: latest is still the good upstream, through the mount and
# in a fresh export of the catalogue's state.
latest_unchanged() {
  same_file "$good_inrelease" "$latest/dists/stable/InRelease" "latest moved after a failed sync (mount)"
  same_file "$good/dists/stable/main/binary-amd64/Packages.xz" "$latest/dists/stable/main/binary-amd64/Packages.xz" \
    "latest moved after a failed sync (mount)"
  rm -rf "$SCRATCH/export"
  assert_exit 0 chantal --config "$cfg" export --repo-id debian --dest "$SCRATCH/export"
  same_file "$good_inrelease" "$SCRATCH/export/dists/stable/InRelease" "latest moved after a failed sync (export)"
}
# expect_failure REGEX...: the sync exits 1 with one error line and stderr
# matching every (case-insensitive) REGEX; latest unchanged.
expect_failure() {
  local re
  assert_exit 1 chantal --config "$cfg" repo sync --repo-id debian
  assert_contains "$ASSERT_ERR" "error: "
  shopt -s nocasematch
  for re in "$@"; do
    [[ $ASSERT_ERR =~ $re ]] || { shopt -u nocasematch; fail "sync error does not match /$re/:"$'\n'"$ASSERT_ERR"; }
  done
  shopt -u nocasematch
  latest_unchanged
}

# Release changed after signing: InRelease's and Release.gpg's signatures fail.
serve_good
resign_apt_repo "$upstream"
apt_tamper_release "$upstream"
assert_exit 1 gpgv --keyring "$keyring" "$upstream/dists/stable/InRelease"
expect_failure 'InRelease|Release\.gpg' 'signature|BADSIG'

# A correctly signed InRelease whose Valid-Until has passed.
serve_good
resign_apt_repo "$upstream" --valid-until 2025-01-20
assert_exit 0 gpgv --keyring "$keyring" "$upstream/dists/stable/InRelease"
expect_failure 'Valid-Until|expired'

# A truncated Packages.xz that Release (newly signed, over new indexes: the
# pool cannot hold them yet) does not describe.
serve_good
rm "$upstream/$(apt_pool_path main chantal-hello_1.0-2_amd64.deb)"
reindex_apt_repo "$upstream"
xzf=$upstream/dists/stable/main/binary-amd64/Packages.xz
truncate -s $(($(stat -c %s "$xzf") / 2)) "$xzf"
expect_failure 'main/binary-amd64/Packages\.xz' 'size|checksum|sha256|mismatch'

# A signed stanza whose Filename leaves the tree.
serve_good
apt_edit_index "$upstream" dists/stable/main/binary-amd64/Packages \
  's|^Filename: pool/main/c/chantal-hello/chantal-hello_2.0~rc1-1_amd64.deb$|Filename: ../../etc/passwd|'
assert_contains "$(<"$upstream/dists/stable/main/binary-amd64/Packages")" $'Filename: ../../etc/passwd\n'
resign_apt_repo "$upstream"
assert_exit 0 gpgv --keyring "$keyring" "$upstream/dists/stable/InRelease"
expect_failure 'etc/passwd|Filename'
[[ -z $(find "$SCRATCH/state/pool" -name '*passwd*') ]] || fail "a file named passwd reached the pool"
assert_file_missing "$latest/etc/passwd" "$mnt/repos/debian/etc/passwd"

# A signed Packages.xz that decompresses to more than the Release lists for
# the plain Packages (a stanza appended to the .xz alone).
serve_good
idx=$upstream/dists/stable/main/binary-amd64
{ cat "$idx/Packages"; printf '\nPackage: chantal-sneaky\nVersion: 1.0-1\nArchitecture: amd64\n'; } | xz -6 -T1 >"$idx/Packages.xz"
resign_apt_repo "$upstream"
expect_failure 'main/binary-amd64/Packages\.xz' 'decompresses to more than the [0-9]+ bytes the Release lists'

# A signed Packages.xz that is not an xz stream at all.
serve_good
printf 'this is not xz\n' >"$upstream/dists/stable/main/binary-amd64/Packages.xz"
resign_apt_repo "$upstream"
expect_failure 'main/binary-amd64/Packages\.xz'

# A signed stanza without Version: the error names the stanza.
serve_good
apt_edit_index "$upstream" dists/stable/main/binary-amd64/Packages '/^Version: 2.0~rc1-1$/d'
resign_apt_repo "$upstream"
expect_failure 'main/binary-amd64/Packages' 'Version'

# The same stanza listed twice is one package: the sync succeeds.
serve_good
idx=$upstream/dists/stable/main/binary-amd64
stanza=$(awk -v RS= '/\nVersion: 1.0-2\n/ && /^Package: chantal-hello\n/ {print; exit}' "$idx/Packages")
[[ -n $stanza ]] || fail "no chantal-hello 1.0-2 stanza in the fixture's Packages"
printf '\n%s\n' "$stanza" >>"$idx/Packages"
apt_edit_index "$upstream" dists/stable/main/binary-amd64/Packages ''
resign_apt_repo "$upstream"
assert_exit 0 chantal --config "$cfg" repo sync --repo-id debian
wait_until 10 cmp -s "$upstream/dists/stable/InRelease" "$latest/dists/stable/InRelease"
assert_exit 0 chantal --config "$cfg" --format json package list --repo-id debian
assert_eq 1 "$(grep -o '"filename": *"chantal-hello_1\.0-2_amd64\.deb"' <<<"$ASSERT_OUT" | wc -l)" \
  "rows of chantal-hello_1.0-2_amd64.deb in package list"
# From here on this upstream is the good state serve_good puts back.
cp -a "$upstream" "$SCRATCH/duplicate-upstream"
good=$SCRATCH/duplicate-upstream
good_inrelease=$good/dists/stable/InRelease

# After all that, a good upstream syncs again.
serve_good
resign_apt_repo "$upstream"
assert_exit 0 chantal --config "$cfg" repo sync --repo-id debian
wait_until 10 cmp -s "$upstream/dists/stable/InRelease" "$latest/dists/stable/InRelease"
root=$SCRATCH/apt-latest
assert_exit 0 apt_offline "$root" update
log "ok"
