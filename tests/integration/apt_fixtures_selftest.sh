#!/bin/bash
# Self-test of the APT fixtures (tests/fixtures/make-apt-repos) and of
# apt_lib.sh, with the real apt-get and no Chantal: the fixture upstreams,
# served by python's http.server, answer `apt-get update` (InRelease
# verified with signed-by), the Debian version order picks the candidate
# dpkg --compare-versions says, `apt-get install --download-only` and
# `apt-get source --download-only` fetch the fixture's own bytes, by-hash
# upstreams are read through by-hash/, a flat repository works, and a
# tampered, expired or truncated upstream makes apt-get update fail.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/apt_lib.sh
source "$(dirname "$0")/apt_lib.sh"

require_tools dpkg-deb dpkg-source apt-ftparchive apt-get apt-cache gpg gpgv gpgconf xz gzip python3 flock

log "building APT fixtures into $CHANTAL_FIXTURE_CACHE"
make_apt_repos apt-main apt-byhash apt-flat
assert_eq "apt-main apt-byhash apt-flat" "$("$APT_MAKE" --list | tr '\n' ' ' | sed 's/ $//')"
main=$APT_FIXTURES/apt-main
for f in apt-main apt-byhash; do
  assert_file_exists "$APT_FIXTURES/$f"/dists/stable/{InRelease,Release,Release.gpg} \
    "$APT_FIXTURES/$f"/{archive-key.asc,archive-keyring.gpg}
  for idx in main/binary-amd64/Packages main/binary-all/Packages contrib/binary-amd64/Packages main/source/Sources; do
    assert_file_exists "$APT_FIXTURES/$f/dists/stable/$idx"{,.gz,.xz}
    assert_eq "$(<"$APT_FIXTURES/$f/dists/stable/$idx")" "$(zcat "$APT_FIXTURES/$f/dists/stable/$idx.gz")" "$f $idx.gz"
    assert_eq "$(<"$APT_FIXTURES/$f/dists/stable/$idx")" "$(xzcat "$APT_FIXTURES/$f/dists/stable/$idx.xz")" "$f $idx.xz"
  done
done
assert_file_exists "$APT_FIXTURES/apt-flat"/{InRelease,Release,Release.gpg,Packages,Packages.gz,Packages.xz,Sources}

# The Release fields and the signatures (gpgv, the key apt uses).
release=$(<"$main/dists/stable/Release")
assert_match "$release" $'^Origin: Chantal\nLabel: Chantal Test Archive\nSuite: stable\nCodename: testing-chantal\nDate: '
assert_contains "$release" $'\nCodename: testing-chantal\n'
assert_contains "$release" $'\nComponents: main contrib\n'
assert_contains "$release" $'\nArchitectures: all amd64\n'
assert_contains "$release" $'\nSHA256:\n'
assert_contains "$release" $'\nMD5Sum:\n'
assert_not_contains "$release" "Acquire-By-Hash"
assert_not_contains "$release" "by-hash"
assert_contains "$(<"$APT_FIXTURES/apt-byhash/dists/stable/Release")" $'\nAcquire-By-Hash: yes\n'
keyring=$APT_FIXTURES/apt-gnupg/archive-keyring.gpg
cmp "$keyring" "$main/archive-keyring.gpg" || fail "the flavour's keyring is not the archive key"
assert_exit 0 gpgv --keyring "$keyring" "$main/dists/stable/InRelease"
assert_exit 0 gpgv --keyring "$keyring" "$main/dists/stable/Release.gpg" "$main/dists/stable/Release"
assert_exit 0 gpgv --keyring "$keyring" "$APT_FIXTURES/apt-flat/InRelease"
# The armored key is the same key.
gh=$(mktemp -d /tmp/chantal-aptst.XXXXXX)
on_exit "gpgconf --homedir '$gh' --kill all >/dev/null 2>&1; rm -rf '$gh'"
gpg --homedir "$gh" --batch --quiet --import "$main/archive-key.asc" 2>/dev/null
assert_eq "$(<"$APT_FIXTURES/apt-gnupg/fingerprint")" \
  "$(gpg --homedir "$gh" --batch --with-colons --list-keys 2>/dev/null | awk -F: '$1=="fpr"{print $10; exit}')"

# Every by-hash copy is the file its name says.
n=0
while read -r f; do
  assert_eq "$(basename "$f")" "$(sha256sum "$f" | cut -d' ' -f1)" "by-hash copy $f"
  n=$((n + 1))
done < <(find "$APT_FIXTURES/apt-byhash/dists" -path '*/by-hash/SHA256/*' -type f)
((n >= 18)) || fail "apt-byhash has only $n by-hash/SHA256 copies"

# Deterministic: a fresh build (another key) gives the same packages,
# indexes and Release; only the signatures differ.
"$APT_MAKE" "$SCRATCH/fresh" apt-main || fail "fresh make-apt-repos failed"
diff -r -x InRelease -x Release.gpg -x 'archive-key*' "$main" "$SCRATCH/fresh/apt-main" ||
  fail "a fresh build of apt-main differs"

# Pool layout and the files the indexes name.
packages=$(<"$main/dists/stable/main/binary-amd64/Packages")
for p in chantal-hello/chantal-hello_1.0-1_amd64.deb chantal-hello/chantal-hello_1.0-2_amd64.deb \
         "chantal-hello/chantal-hello_2.0~rc1-1_amd64.deb" chantal-hello/chantal-hello_0.9-1_amd64.deb \
         chantal-data/chantal-data_1.0-1_all.deb; do
  assert_contains "$packages" "Filename: pool/main/c/$p"$'\n'
  assert_file_exists "$main/pool/main/c/$p"
done
assert_contains "$packages" $'Version: 1:0.9-1\n'
assert_contains "$packages" $'Depends: chantal-data\n'
assert_not_contains "$packages" "chantal-extra"
assert_contains "$(<"$main/dists/stable/main/binary-all/Packages")" "Package: chantal-data"
assert_not_contains "$(<"$main/dists/stable/main/binary-all/Packages")" "Package: chantal-hello"
assert_contains "$(<"$main/dists/stable/contrib/binary-amd64/Packages")" "Filename: pool/contrib/c/chantal-extra/chantal-extra_1.0-1_amd64.deb"
sources=$(<"$main/dists/stable/main/source/Sources")
assert_contains "$sources" $'Directory: pool/main/c/chantal-hello\n'
for f in chantal-hello_1.0-2.dsc chantal-hello_1.0.orig.tar.gz chantal-hello_1.0-2.debian.tar.xz; do
  assert_contains "$sources" " $f"
  assert_file_exists "$main/pool/main/c/chantal-hello/$f"
done
assert_exit 0 dpkg-deb --field "$main/pool/main/c/chantal-hello/chantal-hello_0.9-1_amd64.deb" Version
assert_eq "1:0.9-1" "$ASSERT_OUT"

# ---------------------------------------------------------------- apt-get, directly against the fixtures
port=$(start_http_server "$APT_FIXTURES")
url=http://127.0.0.1:$port
root=$(apt_get_root "$SCRATCH/apt-main" "$url/apt-main stable main contrib")
assert_exit 0 apt_offline "$root" update
assert_not_contains "$ASSERT_OUT$ASSERT_ERR" "W:"
# No-Support-for-Architecture-all: Packages: apt reads binary-amd64 only, so
# a mirror of architectures [amd64] is enough for clients.
assert_not_contains "$(<"$SCRATCH/http-$port.log")" "binary-all"
assert_contains "$(<"$SCRATCH/http-$port.log")" "GET /apt-main/dists/stable/InRelease"
# Nothing of the host's apt (/etc/apt/sources.list.d, apt.conf.d): only our
# source in apt-cache policy, only our lists.
assert_exit 0 apt_cache "$root" policy
assert_eq "" "$(grep -E 'https?://' <<<"$ASSERT_OUT" | grep -v "127.0.0.1:$port/apt-main" || true)" "host sources leaked in"
assert_eq 0 "$(find "$root/state/lists" -maxdepth 1 -type f -name '*_Packages' ! -name '127.0.0.1*' | wc -l)"

# The candidate is the highest version in Debian's order, as dpkg says.
versions=(1.0-1 1.0-2 2.0~rc1-1 1:0.9-1)
best=${versions[0]}
for v in "${versions[@]}"; do
  if dpkg --compare-versions "$v" gt "$best"; then best=$v; fi
done
assert_eq "1:0.9-1" "$best" "dpkg's order: the epoch wins"
assert_exit 0 apt_cache "$root" policy chantal-hello
assert_match "$ASSERT_OUT" "Candidate: 1:0\\.9-1"
assert_exit 0 apt_cache "$root" madison chantal-hello
for v in "${versions[@]}"; do assert_contains "$ASSERT_OUT" " $v "; done

assert_exit 0 apt_offline "$root" install --download-only chantal-hello
assert_eq "$(apt_deb_file chantal-data 1.0-1 all)"$'\n'"$(apt_deb_file chantal-hello 1:0.9-1 amd64)" "$(apt_downloaded "$root")"
cmp "$root/cache/archives/$(apt_deb_file chantal-hello 1:0.9-1 amd64)" "$main/pool/main/c/chantal-hello/chantal-hello_0.9-1_amd64.deb" ||
  fail "downloaded chantal-hello differs from the fixture"
cmp "$root/cache/archives/chantal-data_1.0-1_all.deb" "$main/pool/main/c/chantal-data/chantal-data_1.0-1_all.deb" ||
  fail "downloaded chantal-data differs from the fixture"
apt_clean_downloads "$root"
assert_exit 0 apt_offline "$root" install --download-only chantal-hello=1.0-1 chantal-extra
cmp "$root/cache/archives/chantal-hello_1.0-1_amd64.deb" "$main/pool/main/c/chantal-hello/chantal-hello_1.0-1_amd64.deb" ||
  fail "downloaded chantal-hello 1.0-1 differs from the fixture"
cmp "$root/cache/archives/chantal-extra_1.0-1_amd64.deb" "$main/pool/contrib/c/chantal-extra/chantal-extra_1.0-1_amd64.deb" ||
  fail "downloaded chantal-extra differs from the fixture"

# deb-src: apt-get source --download-only fetches the three source files.
mkdir -p "$SCRATCH/src"
(cd "$SCRATCH/src" && apt_offline "$root" source --download-only chantal-hello) >"$SCRATCH/src.log" 2>&1 ||
  fail "apt-get source failed:"$'\n'"$(<"$SCRATCH/src.log")"
for f in chantal-hello_1.0-2.dsc chantal-hello_1.0.orig.tar.gz chantal-hello_1.0-2.debian.tar.xz; do
  cmp "$SCRATCH/src/$f" "$main/pool/main/c/chantal-hello/$f" || fail "apt-get source: $f differs"
done

# ---------------------------------------------------------------- by-hash
root=$(apt_get_root "$SCRATCH/apt-byhash" "$url/apt-byhash stable main contrib")
assert_exit 0 apt_offline "$root" update
assert_contains "$(<"$SCRATCH/http-$port.log")" "GET /apt-byhash/dists/stable/main/binary-amd64/by-hash/SHA256/"
assert_not_contains "$(<"$SCRATCH/http-$port.log")" "GET /apt-byhash/dists/stable/main/binary-amd64/Packages"
assert_exit 0 apt_offline "$root" install --download-only chantal-hello
cmp "$root/cache/archives/$(apt_deb_file chantal-hello 1:0.9-1 amd64)" \
  "$APT_FIXTURES/apt-byhash/pool/main/c/chantal-hello/chantal-hello_0.9-1_amd64.deb" || fail "by-hash: chantal-hello differs"

# ---------------------------------------------------------------- flat
root=$(apt_get_root "$SCRATCH/apt-flat" "$url/apt-flat/ ./")
assert_exit 0 apt_offline "$root" update
assert_exit 0 apt_offline "$root" install --download-only chantal-hello chantal-extra
cmp "$root/cache/archives/$(apt_deb_file chantal-hello 1:0.9-1 amd64)" "$APT_FIXTURES/apt-flat/chantal-hello_0.9-1_amd64.deb" ||
  fail "flat: chantal-hello differs"

# ---------------------------------------------------------------- changed and broken upstreams
up=$SCRATCH/upstream
mkdir -p "$up"
uport=$(start_http_server "$up")
fresh_root() { apt_get_root "$SCRATCH/apt-$1" "http://127.0.0.1:$uport/repo stable main contrib"; }

# An upstream change: 3.0-1 added, 1.0-1 removed, indexes and Release redone.
copy_apt_repo apt-byhash "$up/repo"
old_inrelease=$(<"$up/repo/dists/stable/InRelease")
apt_add_file "$up/repo" main chantal-hello_3.0-1_amd64.deb
rm "$up/repo/$(apt_pool_path main chantal-hello_1.0-1_amd64.deb)"
reindex_apt_repo "$up/repo"
assert_ne "$old_inrelease" "$(<"$up/repo/dists/stable/InRelease")"
assert_contains "$(<"$up/repo/dists/stable/Release")" "Date: Thu, 16 Jan 2025 00:00:00 UTC"
assert_exit 0 gpgv --keyring "$keyring" "$up/repo/dists/stable/InRelease"
root=$(fresh_root changed)
assert_exit 0 apt_offline "$root" update
assert_exit 0 apt_cache "$root" madison chantal-hello
assert_contains "$ASSERT_OUT" " 3.0-1 "
assert_not_contains "$ASSERT_OUT" " 1.0-1 "
assert_exit 0 apt_offline "$root" install --download-only chantal-hello=3.0-1
cmp "$root/cache/archives/chantal-hello_3.0-1_amd64.deb" "$APT_FIXTURES/apt-debs/chantal-hello_3.0-1_amd64.deb" ||
  fail "chantal-hello 3.0-1 differs"

# Release changed after signing: bad signature.
copy_apt_repo apt-main "$up/repo"
apt_tamper_release "$up/repo"
assert_exit 1 gpgv --keyring "$keyring" "$up/repo/dists/stable/InRelease"
root=$(fresh_root tampered)
assert_exit 100 apt_offline "$root" update
assert_match "$ASSERT_OUT$ASSERT_ERR" "BADSIG|signatures were invalid|not signed"

# Valid-Until in the past (re-signed: the signature is good).
copy_apt_repo apt-main "$up/repo"
resign_apt_repo "$up/repo" --valid-until 2025-01-20
assert_contains "$(<"$up/repo/dists/stable/InRelease")" "Valid-Until: Mon, 20 Jan 2025 00:00:00 UTC"
assert_exit 0 gpgv --keyring "$keyring" "$up/repo/dists/stable/InRelease"
root=$(fresh_root expired)
assert_exit 100 apt_offline "$root" update
assert_contains "$ASSERT_OUT$ASSERT_ERR" "expired"

# A truncated Packages.xz, Release unchanged.
copy_apt_repo apt-main "$up/repo"
xzf=$up/repo/dists/stable/main/binary-amd64/Packages.xz
truncate -s $(($(stat -c %s "$xzf") / 2)) "$xzf"
rm "$up/repo/dists/stable/main/binary-amd64/Packages" "$up/repo/dists/stable/main/binary-amd64/Packages.gz"
root=$(fresh_root truncated)
assert_exit 100 apt_offline "$root" update
assert_match "$ASSERT_OUT$ASSERT_ERR" "unexpected size|Hash Sum mismatch"

# A hostile Filename, re-signed: the signature is good, the stanza is the attack.
copy_apt_repo apt-byhash "$up/repo"
apt_edit_index "$up/repo" dists/stable/main/binary-amd64/Packages \
  's|^Filename: pool/main/c/chantal-hello/chantal-hello_1.0-1_amd64.deb$|Filename: ../../etc/passwd|'
resign_apt_repo "$up/repo"
assert_contains "$(xzcat "$up/repo/dists/stable/main/binary-amd64/Packages.xz")" $'Filename: ../../etc/passwd\n'
sum=$(sha256sum "$up/repo/dists/stable/main/binary-amd64/Packages.xz" | cut -d' ' -f1)
assert_file_exists "$up/repo/dists/stable/main/binary-amd64/by-hash/SHA256/$sum"
assert_contains "$(<"$up/repo/dists/stable/Release")" "$sum"
assert_exit 0 gpgv --keyring "$keyring" "$up/repo/dists/stable/InRelease"
root=$(fresh_root hostile)
assert_exit 0 apt_offline "$root" update
log "ok"
