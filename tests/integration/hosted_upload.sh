#!/bin/bash
# Hosted repositories (mode: hosted) filled by `chantal package upload`:
#  - the config refuses a feed or filters on a hosted repo, naming the line;
#  - rpmbuild output uploaded as files and with --directory --recursive;
#    a non-RPM file and a different file of a held NEVRA are refused, --force replaces;
#  - `repo sync` of the hosted repo says it has no upstream, `sync --all` skips it;
#  - through chantalfs and nginx, dnf installs a package (with its dependency)
#    from the hosted latest, and dnf repoquery shows the same NEVRA, requires,
#    provides and files as on a createrepo_c repo of the same RPMs;
#  - a snapshot of the hosted repo stays identical after another upload, and a
#    view holds the hosted repo's packages.
source "$(dirname "$0")/lib.sh"
require_tools rpmbuild createrepo_c dnf nginx rpm
require_fuse
require_chantal
require_chantalfs

# build_rpm NAME VERSION CONTENT [SPEC_LINES]: a noarch package in $SCRATCH/rpms/NAME-VERSION-CONTENT/.
build_rpm() {
  local name=$1 version=$2 content=$3 extra=${4:-} top=$SCRATCH/rpmbuild/$1-$2-$3
  mkdir -p "$top"
  cat >"$top/package.spec" <<SPEC
Name: $name
Version: $version
Release: 1
Summary: Hosted test package $name
License: MIT
BuildArch: noarch
$extra
%description
A package uploaded to a hosted repository.
%install
mkdir -p %{buildroot}/usr/share/$name
echo '$content' > %{buildroot}/usr/share/$name/data
%files
/usr/share/$name/data
%changelog
* Mon Jan 01 2024 Tester <t@example.com> - $version-1
- Built for the hosted upload test
SPEC
  rpmbuild --quiet --define "_topdir $top" -bb "$top/package.spec" </dev/null >/dev/null 2>&1 ||
    fail "rpmbuild of $name failed"
  printf '%s\n' "$top/RPMS/noarch/$name-$version-1.noarch.rpm"
}

app=$(build_rpm hosted-app 1.0 app "Requires: hosted-lib >= 1.0")
lib=$(build_rpm hosted-lib 1.0 lib "Provides: hosted-capability = 1.0")
lib_other=$(build_rpm hosted-lib 1.0 rebuilt "Provides: hosted-capability = 1.0")
app_v2=$(build_rpm hosted-app 2.0 app "Requires: hosted-lib >= 1.0")
mkdir -p "$SCRATCH/incoming/nested/deeper"
cp "$lib" "$SCRATCH/incoming/nested/deeper/"

# ---- the config
state=$SCRATCH/state
cfg=$SCRATCH/config.yaml
chantal_config_base "$state" >"$cfg"
base_config=$(<"$cfg")
printf '%s\nrepositories:\n  - id: internal\n    mode: hosted\n    feed: https://example.com/repo\n' "$base_config" \
  >"$SCRATCH/with-feed.yaml"
assert_exit 2 chantal --config "$SCRATCH/with-feed.yaml" config check
assert_contains "$ASSERT_ERR" "with-feed.yaml:"
assert_contains "$ASSERT_ERR" "mode 'hosted' has no upstream, so it takes no 'feed'"
printf '%s\nrepositories:\n  - id: internal\n    mode: hosted\n    filters:\n      patterns: {include: [x]}\n' \
  "$base_config" >"$SCRATCH/with-filters.yaml"
assert_exit 2 chantal --config "$SCRATCH/with-filters.yaml" config check
assert_contains "$ASSERT_ERR" "mode 'hosted' cannot be combined with filters"
cat >>"$cfg" <<CONFIG
repositories:
  - id: internal
    name: Internal tools
    mode: hosted
views:
  - name: everything
    repos: [internal]
CONFIG
assert_exit 0 chantal --config "$cfg" --format json config check
assert_contains "$ASSERT_OUT" '"mode": "hosted"'
chantal --config "$cfg" init >/dev/null

# ---- sync has nothing to do with a hosted repo
assert_exit 1 chantal --config "$cfg" repo sync --repo-id internal
assert_contains "$ASSERT_ERR" "repo internal is hosted"
assert_contains "$ASSERT_ERR" "no upstream"
assert_exit 0 chantal --config "$cfg" repo sync --all
assert_contains "$ASSERT_ERR" "skipped internal: hosted"
assert_exit 0 chantal --config "$cfg" --format json repo sync --all
assert_contains "$ASSERT_OUT" '"status": "skipped"'

# ---- uploads
printf 'not a package\n' >"$SCRATCH/notes.rpm"
assert_exit 1 chantal --config "$cfg" package upload --repo-id internal "$app" "$SCRATCH/notes.rpm"
assert_contains "$ASSERT_ERR" "$SCRATCH/notes.rpm: not an RPM package"
assert_exit 2 chantal --config "$cfg" package upload --repo-id internal
assert_exit 0 chantal --config "$cfg" --format json package upload --repo-id internal "$app"
assert_contains "$ASSERT_OUT" '"status": "added"'
assert_contains "$ASSERT_OUT" '"path": "Packages/h/hosted-app-1.0-1.noarch.rpm"'
assert_exit 0 chantal --config "$cfg" package upload --repo-id internal --directory "$SCRATCH/incoming" --recursive
assert_contains "$ASSERT_OUT" "internal: 1 added, 0 replaced, 0 unchanged; latest holds 2 packages"
# The upload generated the repo's repodata at once (its one-member view has
# the same inputs, so it serves the same files).
assert_match "$ASSERT_ERR" "repos/internal/latest: [0-9]+ index files generated in"
assert_exit 0 chantal --config "$cfg" package upload --repo-id internal "$app" "$lib"
assert_contains "$ASSERT_OUT" "0 added, 0 replaced, 2 unchanged"
assert_not_contains "$ASSERT_ERR" "index files generated"  # latest did not move
assert_exit 1 chantal --config "$cfg" package upload --repo-id internal "$lib_other"
assert_contains "$ASSERT_ERR" "--force"
assert_exit 0 chantal --config "$cfg" package upload --repo-id internal --force "$lib_other"
assert_contains "$ASSERT_OUT" "0 added, 1 replaced"
assert_exit 0 chantal --config "$cfg" package upload --repo-id internal --force "$lib"  # back to the first build
assert_exit 0 chantal --config "$cfg" --format json package list --repo-id internal
assert_contains "$ASSERT_OUT" "hosted-lib-1.0-1.noarch.rpm"
assert_exit 0 chantal --config "$cfg" -q snapshot create --repo-id internal --name s1

# ---- served: chantalfs + nginx, dnf
mnt=$SCRATCH/mnt
start_chantalfs "$cfg" "$mnt"
assert_eq $'Packages\nrepodata' "$(ls "$mnt/repos/internal/latest")"
assert_eq $'hosted-app-1.0-1.noarch.rpm\nhosted-lib-1.0-1.noarch.rpm' "$(ls "$mnt/repos/internal/latest/Packages/h")"
cmp "$mnt/repos/internal/latest/Packages/h/hosted-lib-1.0-1.noarch.rpm" "$lib" || fail "served package differs"
assert_eq $'hosted-app-1.0-1.noarch.rpm\nhosted-lib-1.0-1.noarch.rpm' "$(ls "$mnt/views/everything/latest/Packages/h")"
port=$(start_nginx "$mnt")
base=http://127.0.0.1:$port

assert_exit 0 dnf_offline --root "$SCRATCH/root-install" --repo "internal=$base/repos/internal/latest" install hosted-app
assert_exit 0 rpm --root "$SCRATCH/root-install" -q hosted-app hosted-lib
assert_contains "$ASSERT_OUT" "hosted-app-1.0-1.noarch"
assert_contains "$ASSERT_OUT" "hosted-lib-1.0-1.noarch"

# repoquery on our tree == on a createrepo_c repo of the same RPMs.
mkdir -p "$SCRATCH/reference"
cp "$app" "$lib" "$SCRATCH/reference/"
createrepo_c --quiet "$SCRATCH/reference"
reference_port=$(start_http_server "$SCRATCH/reference")
rq() {  # rq ROOT URL ARGS...: repoquery output, sorted
  local root=$1 url=$2
  shift 2
  dnf_offline --root "$SCRATCH/rq-$root" --repo "r=$url" repoquery "$@" | LC_ALL=C sort
}
for query in "--qf=%{name}-%{epoch}:%{version}-%{release}.%{arch}" --requires --provides --list; do
  expected=$(rq reference "http://127.0.0.1:$reference_port" "$query")
  [[ -n $expected ]] || fail "empty repoquery $query on the createrepo_c repo"
  assert_eq "$expected" "$(rq ours "$base/repos/internal/latest" "$query")" "repoquery $query: hosted vs createrepo_c"
done
assert_contains "$(rq ours "$base/repos/internal/latest" --requires)" "hosted-lib >= 1.0"
assert_contains "$(rq ours "$base/repos/internal/latest" --provides)" "hosted-capability = 1.0"

# ---- a snapshot stays as it was after another upload
snapshot=$mnt/repos/internal/snapshots/s1
cp "$snapshot/repodata/repomd.xml" "$SCRATCH/s1-repomd.xml"
s1_listing=$(cd "$snapshot" && find . | LC_ALL=C sort)
old_latest=$(cat "$mnt/repos/internal/latest/repodata/repomd.xml")
assert_exit 0 chantal --config "$cfg" package upload --repo-id internal "$app_v2"
latest_moved() { [[ $(cat "$mnt/repos/internal/latest/repodata/repomd.xml") != "$old_latest" ]]; }
wait_until 5 latest_moved
assert_contains "$(rq latest2 "$base/repos/internal/latest" "--qf=%{name}-%{version}")" "hosted-app-2.0"
cmp "$snapshot/repodata/repomd.xml" "$SCRATCH/s1-repomd.xml" || fail "snapshot s1's repomd.xml changed"
assert_eq "$s1_listing" "$(cd "$snapshot" && find . | LC_ALL=C sort)" "snapshot s1's files"
assert_not_contains "$(rq s1 "$base/repos/internal/snapshots/s1" "--qf=%{name}-%{version}")" "hosted-app-2.0" \
  "snapshot s1 changed"
