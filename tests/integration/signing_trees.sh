#!/bin/bash
# gpg: signing of generated trees (design.md §2, §3 Authenticity), with real
# keys, the real mount, nginx and dnf:
#  - a filtered repo signed with a key file + passphrase file, and a view
#    signed with a key chantal generates itself (announced once);
#  - gpgv accepts the served repodata/repomd.xml.asc; dnf --installroot with
#    repo_gpgcheck=1 and gpgkey= the served public key installs through nginx
#    on the mount, and refuses with another key;
#  - the mount and two exports serve byte-identical signatures;
#  - a mirror tree keeps upstream's signature; an unconfigured tree stays unsigned;
#  - a wrong passphrase is one clear error (export and mount), and the
#    passphrase appears in no output, log, catalogue or pool file.
source "$(dirname "$0")/lib.sh"
require_tools createrepo_c dnf nginx rpm gpg gpgv gpgconf
require_fuse
require_chantal
require_chantalfs
make_repos main lib signed

PASSPHRASE='correct horse battery staple 7f3a'
keys=$SCRATCH/keys
mkdir -p "$keys"
key_home=$(mktemp -d /tmp/chantal-gpg.XXXXXX)
on_exit "gpgconf --homedir '$key_home' --kill all >/dev/null 2>&1; rm -rf '$key_home'"
gpg --homedir "$key_home" --batch --quiet --pinentry-mode loopback --passphrase "$PASSPHRASE" \
  --quick-gen-key 'Mirror Signing <mirror@example.invalid>' rsa3072 sign never 2>/dev/null
gpg --homedir "$key_home" --batch --pinentry-mode loopback --passphrase "$PASSPHRASE" --armor \
  --export-secret-keys >"$keys/signing-secret.asc"
printf '%s\n' "$PASSPHRASE" >"$keys/passphrase"
printf 'wrong %s\n' "$PASSPHRASE" >"$keys/wrong-passphrase"
SIGNING_FPR=$(gpg --homedir "$key_home" --batch --with-colons --list-keys | awk -F: '$1=="fpr"{print $10; exit}')

state=$SCRATCH/state
cfg=$SCRATCH/config.yaml
write_config() {  # write_config PASSPHRASE_FILE
  chantal_config_base "$state" >"$cfg"
  cat >>"$cfg" <<CONFIG
repositories:
  - id: main-filtered
    feed: $(fixture_url main)
    filters:
      patterns: {exclude: ["^chantal-multi"]}
    gpg:
      key_file: $keys/signing-secret.asc
      passphrase_file: $1
      public_key_name: RPM-GPG-KEY-mirror
  - id: lib
    feed: $(fixture_url lib)
  - id: signed
    feed: $(fixture_url signed)
    gpg:
      key_file: $keys/signing-secret.asc
      passphrase_file: $1
  - id: unsigned-filtered
    feed: $(fixture_url lib)
    filters:
      patterns: {include: ["."]}
views:
  - name: all
    repos: [main-filtered, lib]
    gpg:
      generate_key: true
      gnupg_home: $state/view-gnupg
      key_name: View Signing
      key_email: view@example.invalid
      public_key_name: RPM-GPG-KEY-view
CONFIG
}
write_config "$keys/passphrase"
outputs=$SCRATCH/outputs
: >"$outputs"
run() { "$CHANTAL_BIN" --config "$cfg" "$@" >>"$outputs" 2>&1; }
run init
run repo sync --all || fail "sync failed: $(tail -5 "$outputs")"
# The sync generated the view's signed repodata, and with it the view's key.
assert_contains "$(cat "$outputs")" "generated the signing key"
VIEW_FPR=$(gpg --homedir "$state/view-gnupg" --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '$1=="fpr"{print $10; exit}')
[[ -n $VIEW_FPR ]] || fail "no key in the view's gnupg_home"
assert_contains "$(cat "$outputs")" "$VIEW_FPR"
assert_match "$(cat "$outputs")" "views/all/latest: [0-9]+ index files generated in"

# ---------------------------------------------------------------- export: signed, key generated once
assert_exit 0 chantal --config "$cfg" export --view all --dest "$SCRATCH/export1"
printf '%s\n%s\n' "$ASSERT_OUT" "$ASSERT_ERR" >>"$outputs"
assert_not_contains "$ASSERT_OUT$ASSERT_ERR" "generated the signing key"
assert_eq 700 "$(stat -c %a "$state/view-gnupg")"
assert_exit 0 chantal --config "$cfg" export --view all --dest "$SCRATCH/export2"
printf '%s\n%s\n' "$ASSERT_OUT" "$ASSERT_ERR" >>"$outputs"
assert_not_contains "$ASSERT_OUT$ASSERT_ERR" "generated the signing key"
for e in export1 export2; do
  assert_file_exists "$SCRATCH/$e/repodata/repomd.xml.asc" "$SCRATCH/$e/RPM-GPG-KEY-view"
done
cmp "$SCRATCH/export1/repodata/repomd.xml.asc" "$SCRATCH/export2/repodata/repomd.xml.asc" ||
  fail "two exports of one tree have different signatures"
gpg_keyring() { gpg --batch --quiet --yes --dearmor --output "$2" "$1"; }
gpg_keyring "$SCRATCH/export1/RPM-GPG-KEY-view" "$SCRATCH/view.gpg"
assert_exit 0 gpgv --keyring "$SCRATCH/view.gpg" "$SCRATCH/export1/repodata/repomd.xml.asc" "$SCRATCH/export1/repodata/repomd.xml"

run export --repo-id main-filtered --dest "$SCRATCH/export-filtered" || fail "export failed"
gpg_keyring "$SCRATCH/export-filtered/RPM-GPG-KEY-mirror" "$SCRATCH/mirror.gpg"
assert_exit 0 gpgv --keyring "$SCRATCH/mirror.gpg" "$SCRATCH/export-filtered/repodata/repomd.xml.asc" \
  "$SCRATCH/export-filtered/repodata/repomd.xml"
assert_contains "$ASSERT_ERR" "$SIGNING_FPR"
# Not configured: unsigned.
run export --repo-id unsigned-filtered --dest "$SCRATCH/export-unsigned" || fail "export failed"
assert_file_missing "$SCRATCH/export-unsigned/repodata/repomd.xml.asc"

# ---------------------------------------------------------------- the mount through nginx, dnf with repo_gpgcheck=1
mnt=$SCRATCH/mnt
start_chantalfs "$cfg" "$mnt"
cmp "$mnt/views/all/latest/repodata/repomd.xml.asc" "$SCRATCH/export1/repodata/repomd.xml.asc" ||
  fail "the mount serves another signature than the export"
cmp "$mnt/views/all/latest/RPM-GPG-KEY-view" "$SCRATCH/export1/RPM-GPG-KEY-view" || fail "public key differs"
assert_contains "$(ls "$mnt/repos/main-filtered/latest")" "RPM-GPG-KEY-mirror"
# A mirror tree keeps upstream's signature, never re-signed.
cmp "$mnt/repos/signed/latest/repodata/repomd.xml.asc" "$FIXTURES/signed/repodata/repomd.xml.asc" ||
  fail "the mirror tree's signature is not upstream's"
assert_file_missing "$mnt/repos/signed/latest/RPM-GPG-KEY-chantal"

port=$(start_nginx "$mnt")
base=http://127.0.0.1:$port
assert_exit 0 dnf_offline --root "$SCRATCH/root-view" --repo "all=$base/views/all/latest" \
  --gpgkey "$base/views/all/latest/RPM-GPG-KEY-view" install chantal-demo-app
assert_exit 0 rpm --root "$SCRATCH/root-view" -q chantal-demo-app chantal-demo-lib
assert_exit 0 dnf_offline --root "$SCRATCH/root-filtered" --repo "f=$base/repos/main-filtered/latest" \
  --gpgkey "$base/repos/main-filtered/latest/RPM-GPG-KEY-mirror" repoquery chantal-demo-app
assert_contains "$ASSERT_OUT" chantal-demo-app
# Another key: dnf refuses the view's metadata (the check is active).
assert_exit 1 dnf_offline --root "$SCRATCH/root-wrong" --repo "all=$base/views/all/latest" \
  --gpgkey "$base/repos/main-filtered/latest/RPM-GPG-KEY-mirror" repoquery chantal-demo-app
fusermount3 -u -z "$mnt"

# ---------------------------------------------------------------- a wrong passphrase: one clear error
write_config "$keys/wrong-passphrase"
rm -rf "$SCRATCH/export-wrong"
assert_exit 1 chantal --config "$cfg" export --repo-id main-filtered --dest "$SCRATCH/export-wrong"
printf '%s\n%s\n' "$ASSERT_OUT" "$ASSERT_ERR" >>"$outputs"
assert_contains "$ASSERT_ERR" "gpg"
assert_eq 1 "$(grep -c '^error:' <<<"$ASSERT_ERR")" "one error line"
[[ ! -e $SCRATCH/export-wrong/repodata/repomd.xml ]] || fail "an export went ahead with an unusable key"
assert_exit 1 chantalfs --config "$cfg" "$SCRATCH/mnt2" -f
printf '%s\n%s\n' "$ASSERT_OUT" "$ASSERT_ERR" >>"$outputs"
assert_contains "$ASSERT_ERR" "gpg"

# ---------------------------------------------------------------- no secret anywhere
cat "$mnt.log" >>"$outputs" 2>/dev/null || true
chantal --config "$cfg" db export >"$SCRATCH/catalogue.json"
for where in "$outputs" "$SCRATCH/catalogue.json"; do
  if grep -qF "$PASSPHRASE" "$where"; then fail "the passphrase appears in $where"; fi
done
if grep -rlF "$PASSPHRASE" "$state" 2>/dev/null; then fail "the passphrase appears in the state directory"; fi
log "signed trees verified by gpgv and dnf"
