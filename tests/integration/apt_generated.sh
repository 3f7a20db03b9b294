#!/bin/bash
# What the apt: and filters.deb keys make of a generated APT tree, end to end
# with the real apt-get through nginx on the mount:
#  - filters.deb.sections keeps the packages whose Section is listed, by its
#    whole value or by the part after its area ("contrib/net" by "net"), and
#    filters.deb.priorities those whose Priority is listed: apt-cache sees
#    only what each filter keeps;
#  - not_automatic writes NotAutomatic: yes (apt-cache policy: priority 1),
#    with but_automatic_upgrades also ButAutomaticUpgrades: yes (priority
#    100), valid_until_days a Valid-Until that many days after Date, and
#    apt-get update accepts each tree;
#  - by_hash (the default) serves every index at by-hash/SHA256/<sum> with
#    Acquire-By-Hash: yes, and apt-get fetches the indexes there (nginx
#    access log); by_hash: false serves neither.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/apt_lib.sh
source "$(dirname "$0")/apt_lib.sh"

require_tools apt-get apt-cache apt-ftparchive dpkg-deb gpg xz nginx
require_fuse
require_chantal
require_chantalfs
make_apt_repos apt-main
up=$SCRATCH/upstream
copy_apt_repo apt-main "$up/apt-main"
uport=$(start_http_server "$up")

cfg=$SCRATCH/config.yaml
chantal_config_base "$SCRATCH/state" >"$cfg"
# repo_block ID SUITE FILTERS APT_EXTRA: one filtered repository of the fixture upstream.
repo_block() {
  cat <<CONFIG
  - id: $1
    type: apt
    feed: http://127.0.0.1:$uport/apt-main
    apt:
      distribution: stable
      components: [main, contrib]
      architectures: [amd64]
      include_source_packages: true
      suite: $2
$4
    verify:
      key_files: [$APT_FIXTURES/apt-gnupg/archive-key.asc]
    filters:
      deb: $3
CONFIG
}
{
  cat <<CONFIG
gpg:
  generate_key: true
  key_name: Mirror Archive
  key_email: mirror@example.invalid
  public_key_name: mirror-archive-key.asc
repositories:
CONFIG
  repo_block sections sections '{sections: [net, misc]}' "      not_automatic: true
      valid_until_days: 30"
  repo_block priorities priorities '{priorities: [optional]}' "      not_automatic: true
      but_automatic_upgrades: true
      by_hash: false"
} >>"$cfg"
assert_exit 0 chantal --config "$cfg" init
assert_exit 0 chantal --config "$cfg" repo sync --repo-id sections
assert_exit 0 chantal --config "$cfg" repo sync --repo-id priorities
assert_exit 0 chantal --config "$cfg" repo show --repo-id sections
assert_contains "$ASSERT_OUT" "section net, misc"

mnt=$SCRATCH/mnt
start_chantalfs "$cfg" "$mnt"
for id in sections priorities; do wait_until 20 test -f "$mnt/repos/$id/latest/dists/$id/InRelease"; done
gpg --batch --quiet --dearmor <"$mnt/repos/sections/latest/mirror-archive-key.asc" >"$SCRATCH/mirror-keyring.gpg"

# ---------------------------------------------------------------- the Release fields
sections=$mnt/repos/sections/latest/dists/sections
priorities=$mnt/repos/priorities/latest/dists/priorities
release=$(<"$sections/Release")
assert_contains "$release" $'\nNotAutomatic: yes\n'
assert_not_contains "$release" "ButAutomaticUpgrades"
assert_contains "$release" $'\nAcquire-By-Hash: yes\n'
date_field=$(sed -n 's/^Date: //p' "$sections/Release")
valid_until=$(sed -n 's/^Valid-Until: //p' "$sections/Release")
[[ -n $valid_until ]] || fail "no Valid-Until in the Release of valid_until_days: 30"
assert_eq $(($(date -u -d "$date_field" +%s) + 30 * 86400)) "$(date -u -d "$valid_until" +%s)" "Valid-Until - Date"
release=$(<"$priorities/Release")
assert_contains "$release" $'\nNotAutomatic: yes\nButAutomaticUpgrades: yes\n'
assert_not_contains "$release" "Valid-Until"
assert_not_contains "$release" "Acquire-By-Hash"

# ---------------------------------------------------------------- by-hash
n=0
while read -r sum size path; do
  copy=$sections/$(dirname "$path")/by-hash/SHA256/$sum
  [[ -f $copy ]] || fail "no by-hash copy of $path"
  cmp -s "$copy" "$sections/$path" || fail "by-hash copy of $path differs from it"
  assert_eq "$size" "$(stat -c %s "$copy")" "size of the by-hash copy of $path"
  n=$((n + 1))
done < <(awk '/^SHA256:/ {s = 1; next} /^[^ ]/ {s = 0} s {print $1, $2, $3}' "$sections/Release")
((n == 12)) || fail "$n indexes in the Release, expected Packages{,.gz,.xz} and Sources{,.gz,.xz} of main and contrib"
assert_eq "" "$(find "$priorities" -path '*by-hash*')" "by-hash files with by_hash: false"

# ---------------------------------------------------------------- what each filter keeps
packages=$(cat "$sections"/{main,contrib}/binary-amd64/Packages)
assert_contains "$packages" $'Package: chantal-extra\n'
assert_contains "$packages" "Section: contrib/net"
assert_not_contains "$packages" $'Package: chantal-data\n'
packages=$(cat "$priorities"/{main,contrib}/binary-amd64/Packages)
assert_contains "$packages" $'Package: chantal-data\n'
assert_not_contains "$packages" $'Package: chantal-extra\n'

nport=$(start_nginx "$mnt")
nginx_log=$SCRATCH/nginx-$nport/logs/access.log
export APT_SIGNED_BY=$SCRATCH/mirror-keyring.gpg
for id in sections priorities; do
  root=$(apt_get_root "$SCRATCH/apt-$id" "http://127.0.0.1:$nport/repos/$id/latest $id main contrib")
  assert_exit 0 apt_offline "$root" update
  assert_exit 0 apt_cache "$root" pkgnames chantal
  names=$(sort <<<"$ASSERT_OUT" | tr '\n' ' ')
  case $id in
    sections) assert_eq "chantal-extra chantal-hello " "$names" "packages apt sees with sections [net, misc]" ;;
    priorities) assert_eq "chantal-data chantal-hello " "$names" "packages apt sees with priorities [optional]" ;;
  esac
  assert_exit 0 apt_cache "$root" policy
  policy=$ASSERT_OUT
  case $id in
    sections) assert_match "$policy" " 1 http://127.0.0.1:$nport/repos/sections/latest sections/main amd64 Packages" \
                "apt's priority of a NotAutomatic suite" ;;
    priorities) assert_match "$policy" " 100 http://127.0.0.1:$nport/repos/priorities/latest priorities/main amd64 Packages" \
                  "apt's priority of a NotAutomatic, ButAutomaticUpgrades suite" ;;
  esac
done
# apt fetched the indexes of the by-hash tree by their sums, and only those.
log_text=$(<"$nginx_log")
assert_match "$log_text" "GET /repos/sections/latest/dists/sections/main/binary-amd64/by-hash/SHA256/[0-9a-f]{64} HTTP/1.1\" 200"
assert_not_contains "$log_text" "/repos/priorities/latest/dists/priorities/main/binary-amd64/by-hash"
assert_contains "$log_text" "GET /repos/priorities/latest/dists/priorities/main/binary-amd64/Packages"
# A package of the priorities tree installs (its suite is not pinned away).
assert_exit 0 apt_offline "$root" install --download-only chantal-hello

# ---------------------------------------------------------------- the previous version, on a new mount
# latest moves (the filter keeps less). A client that read the previous
# Release asks for its indexes by hash, from a mount started after the move
# that never served them: the sync recorded them as retired in the
# catalogue, so they are there by name, unlisted, for the grace period.
packages_xz_sum() { awk '/^SHA256:/ {s = 1; next} /^[^ ]/ {s = 0} s && $3 == "main/binary-amd64/Packages.xz" {print $1}' "$1"; }
old_sum=$(packages_xz_sum "$sections/Release")
[[ -n $old_sum ]] || fail "no main/binary-amd64/Packages.xz in the Release of sections"
cp "$sections/main/binary-amd64/Packages.xz" "$SCRATCH/old-Packages.xz"
sed -i 's/deb: {sections: \[net, misc\]}/deb: {sections: [net]}/' "$cfg"
assert_exit 0 chantal --config "$cfg" repo sync --repo-id sections
mnt2=$SCRATCH/mnt2
start_chantalfs "$cfg" "$mnt2"
moved=$mnt2/repos/sections/latest/dists/sections
new_sum=$(packages_xz_sum "$moved/Release")
[[ -n $new_sum && $new_sum != "$old_sum" ]] || fail "the sync did not move the Packages.xz of sections ($new_sum)"
cmp -s "$SCRATCH/old-Packages.xz" "$moved/main/binary-amd64/by-hash/SHA256/$old_sum" ||
  fail "a new mount does not serve the previous Packages.xz by hash"
assert_not_contains "$(ls "$moved/main/binary-amd64/by-hash/SHA256/")" "$old_sum"
assert_contains "$(ls "$moved/main/binary-amd64/by-hash/SHA256/")" "$new_sum"
log "ok"
