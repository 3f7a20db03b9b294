#!/bin/bash
# verify: upstream authenticity (design.md §3, Authenticity), with real keys,
# real signatures (gpg --detach-sign, rpmsign) and createrepo_c repos:
#  - the right key syncs a signed upstream (repo_gpgcheck + gpgcheck), and
#    verify.client_key_name serves the trusted key at the tree root;
#  - a wrong key, a missing repomd.xml.asc, a tampered repomd.xml and a key
#    whose fingerprint is not pinned each fail the sync with the policy's
#    message naming the repo and the keys, and latest stays as it was;
#  - on_missing_signature warn / skip behave as named;
#  - gpgcheck refuses an unsigned package and one signed by another key,
#    pooling neither; on_invalid_signature: skip leaves the package out;
#  - check-updates applies the same checks.
source "$(dirname "$0")/lib.sh"
require_tools createrepo_c gpg gpgconf rpmsign
require_chantal
make_repos main signed

FIXTURE_KEY=$FIXTURES/gnupg/public.asc
FIXTURE_FPR=$(cat "$FIXTURES/gnupg/fingerprint")

# A second key: the "wrong" one, and the signer of a foreign package.
other_home=$(mktemp -d /tmp/chantal-gpg.XXXXXX)
on_exit "gpgconf --homedir '$other_home' --kill all >/dev/null 2>&1; rm -rf '$other_home'"
gpg --homedir "$other_home" --batch --quiet --pinentry-mode loopback --passphrase '' \
  --quick-gen-key 'Other Signer <other@example.invalid>' rsa2048 sign never 2>/dev/null
gpg --homedir "$other_home" --batch --armor --export >"$SCRATCH/other.asc"
OTHER_FPR=$(gpg --homedir "$other_home" --batch --with-colons --list-keys 2>/dev/null | awk -F: '$1=="fpr"{print $10; exit}')

# Upstreams.
up=$SCRATCH/upstream
mkdir -p "$up"
cp -a "$FIXTURES/signed" "$up/signed"
cp -a "$FIXTURES/main" "$up/unsigned"               # no repomd.xml.asc, unsigned packages
cp -a "$FIXTURES/signed" "$up/tampered"             # repomd.xml changed after signing
sed -i 's|<revision>|<revision>1|' "$up/tampered/repodata/repomd.xml"
cp -a "$FIXTURES/signed" "$up/foreign"              # one package re-signed by the other key
rpmsign --define "__gpg $(command -v gpg)" --define "_gpg_path $other_home" \
  --define "_gpg_name Other Signer <other@example.invalid>" \
  --define "_gpg_sign_cmd_extra_args --batch --pinentry-mode loopback --passphrase ''" \
  --resign "$up/foreign/chantal-epoch-1.0-1.noarch.rpm" </dev/null >/dev/null 2>&1 || fail "rpmsign --resign failed"
rm -rf "$up/foreign/repodata"
createrepo_c -q "$up/foreign"

state=$SCRATCH/state
cfg=$SCRATCH/config.yaml
# write_config ID FEED VERIFY_YAML: one repository with the given verify: body.
write_config() {
  chantal_config_base "$state" >"$cfg"
  printf 'repositories:\n  - id: %s\n    feed: file://%s\n    verify:\n' "$1" "$up/$2" >>"$cfg"
  printf '%s\n' "$3" | sed 's/^/      /' >>"$cfg"
}
packages_of() { chantal --config "$cfg" --format json package list --repo-id "$1" | grep -o '"name": *"[^"]*"' | sort | tr '\n' ' '; }

chantal_config_base "$state" >"$cfg"
chantal --config "$cfg" init >/dev/null

# ---------------------------------------------------------------- the right key
write_config good signed "repo_gpgcheck: true
gpgcheck: true
key_files: [$FIXTURE_KEY]
trusted_fingerprints: [\"$FIXTURE_FPR\"]
client_key_name: RPM-GPG-KEY-{repo_id}"
assert_exit 0 chantal --config "$cfg" -q repo sync --repo-id good
good_packages=$(packages_of good)
assert_contains "$good_packages" chantal-demo-app
assert_contains "$(chantal --config "$cfg" repo show --repo-id good)" "every package of latest passed gpgcheck"
chantal --config "$cfg" -q export --repo-id good --dest "$SCRATCH/export-good"
assert_file_exists "$SCRATCH/export-good/RPM-GPG-KEY-good" "$SCRATCH/export-good/repodata/repomd.xml.asc"
gpg --homedir "$other_home" --batch --show-keys --with-colons "$SCRATCH/export-good/RPM-GPG-KEY-good" 2>/dev/null |
  grep -q "$FIXTURE_FPR" || fail "the served client key is not the trusted key"

# ---------------------------------------------------------------- a wrong key: fails, latest unchanged
write_config good signed "repo_gpgcheck: true
key_files: [$SCRATCH/other.asc]"
assert_exit 1 chantal --config "$cfg" repo sync --repo-id good
err=$ASSERT_ERR
assert_contains "$err" "repo good"
assert_contains "$err" "repomd.xml"
assert_contains "$err" "$OTHER_FPR"      # the keys expected
assert_contains "$err" "latest is unchanged"
assert_eq "$good_packages" "$(packages_of good)" "latest after a failed verification"
assert_exit 1 chantal --config "$cfg" repo check-updates --repo-id good

# ---------------------------------------------------------------- a fingerprint that is not pinned
write_config good signed "repo_gpgcheck: true
key_files: [$FIXTURE_KEY, $SCRATCH/other.asc]
trusted_fingerprints: [\"$OTHER_FPR\"]"
assert_exit 1 chantal --config "$cfg" repo sync --repo-id good
assert_contains "$ASSERT_ERR" "$FIXTURE_FPR"
assert_contains "$ASSERT_ERR" "not among the trusted fingerprints"
assert_eq "$good_packages" "$(packages_of good)"

# ---------------------------------------------------------------- tampered repomd.xml
write_config tampered tampered "repo_gpgcheck: true
key_files: [$FIXTURE_KEY]"
assert_exit 1 chantal --config "$cfg" repo sync --repo-id tampered
assert_contains "$ASSERT_ERR" "repo tampered"
assert_contains "$ASSERT_ERR" "does not match"
assert_eq "" "$(packages_of tampered)" "a tampered upstream catalogues nothing into latest"

# ---------------------------------------------------------------- missing signature: fail, warn, skip
write_config unsigned unsigned "repo_gpgcheck: true
gpgcheck: false
key_files: [$FIXTURE_KEY]"
assert_exit 1 chantal --config "$cfg" repo sync --repo-id unsigned
assert_contains "$ASSERT_ERR" "no repodata/repomd.xml.asc"
assert_contains "$ASSERT_ERR" "on_missing_signature"
write_config unsigned unsigned "repo_gpgcheck: true
gpgcheck: false
on_missing_signature: warn
key_files: [$FIXTURE_KEY]"
assert_exit 0 chantal --config "$cfg" repo sync --repo-id unsigned
assert_contains "$ASSERT_ERR" "used unverified"
assert_contains "$(packages_of unsigned)" chantal-demo-app
write_config unsigned2 unsigned "repo_gpgcheck: true
gpgcheck: false
on_missing_signature: skip
key_files: [$FIXTURE_KEY]"
assert_exit 0 chantal --config "$cfg" repo sync --repo-id unsigned2
assert_not_contains "$ASSERT_ERR" "repomd.xml.asc"

# ---------------------------------------------------------------- gpgcheck: unsigned packages are not pooled
pool_files() { find "$state/pool" -type f -name "$1" | wc -l; }
rm -rf "$state"
chantal_config_base "$state" >"$cfg"
chantal --config "$cfg" init >/dev/null
write_config plain unsigned "gpgcheck: true
key_files: [$FIXTURE_KEY]"
assert_exit 1 chantal --config "$cfg" repo sync --repo-id plain
err=$ASSERT_ERR
assert_contains "$err" "failed the signature check"
assert_contains "$err" "chantal-demo-app-1.0-1.noarch.rpm"
assert_contains "$err" "not signed"
assert_eq 0 "$(pool_files '*.rpm')" "no unsigned package entered the pool"

# ---------------------------------------------------------------- gpgcheck: a package signed by another key
write_config foreign foreign "gpgcheck: true
key_files: [$FIXTURE_KEY]"
assert_exit 1 chantal --config "$cfg" repo sync --repo-id foreign
err=$ASSERT_ERR
assert_contains "$err" "chantal-epoch-1.0-1.noarch.rpm"
assert_contains "$err" "not trusted"
assert_eq 0 "$(pool_files '*chantal-epoch-1.0-1.noarch.rpm')" "the foreign package was not pooled"
assert_eq "" "$(packages_of foreign)"
# skip: the foreign package is left out, the others sync.
write_config foreign foreign "gpgcheck: true
on_invalid_signature: skip
key_files: [$FIXTURE_KEY]"
assert_exit 0 chantal --config "$cfg" repo sync --repo-id foreign
assert_contains "$ASSERT_ERR" "left out"
foreign_packages=$(packages_of foreign)
assert_contains "$foreign_packages" chantal-demo-app
assert_not_contains "$foreign_packages" chantal-epoch
assert_eq 0 "$(pool_files '*chantal-epoch-1.0-1.noarch.rpm')"
# Trusting both keys: everything syncs, nothing downloaded twice.
write_config foreign foreign "gpgcheck: true
key_files: [$FIXTURE_KEY, $SCRATCH/other.asc]"
assert_exit 0 chantal --config "$cfg" -q repo sync --repo-id foreign
assert_contains "$(packages_of foreign)" chantal-epoch
log "verification checks passed"
