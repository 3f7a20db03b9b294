#!/bin/bash
# Self-test of the shared fixtures (tests/fixtures/make-repos) and of lib.sh:
# every valid flavour answers dnf repoquery with the expected packages, the
# signed flavour passes repo_gpgcheck=1, updateinfo is visible to dnf,
# chantal-demo-app installs from main + lib, http.server and nginx serve the
# fixtures, and the cleanup stack leaves nothing behind (also after SIGKILL).
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"

require_tools rpmbuild createrepo_c modifyrepo_c dnf zstd gpg gpgconf nginx curl python3 flock setsid

log "building fixtures into $CHANTAL_FIXTURE_CACHE"
make_repos
(($("$CHANTAL_SOURCE_DIR/tests/fixtures/make-repos" --list | wc -l) >= 20)) || fail "make-repos --list is short"
for f in $("$CHANTAL_SOURCE_DIR/tests/fixtures/make-repos" --list); do
  assert_file_exists "$FIXTURES/$f/repodata/repomd.xml"
done
# Re-running with nothing changed is a no-op.
start=$(date +%s%N)
make_repos
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
((elapsed_ms < 2000)) || fail "make-repos re-run took ${elapsed_ms} ms (should be a no-op)"

# ---------------------------------------------------------------- repomd checksums
for f in main lib main-v2 xz bz2 zstd sha1 sha512 simple updateinfo updateinfo-v2 comps modules \
         signed nested escape-sibling hostile-dotdot hostile-scheme hostile-xxe hostile-laughs; do
  python3 "$CHANTAL_SOURCE_DIR/tests/fixtures/repodata_tool.py" check "$FIXTURES/$f" ||
    fail "repomd.xml of flavour $f does not match its files"
done
# The bomb's declared open-size/open-checksum are wrong on purpose.
assert_exit 1 python3 "$CHANTAL_SOURCE_DIR/tests/fixtures/repodata_tool.py" check "$FIXTURES/hostile-bomb"

# Compression and checksum variants really are what their names say.
ls "$FIXTURES"/zstd/repodata/*-primary.xml.zst >/dev/null || fail "zstd flavour has no primary.xml.zst"
ls "$FIXTURES"/xz/repodata/*-primary.xml.xz >/dev/null || fail "xz flavour has no primary.xml.xz"
ls "$FIXTURES"/bz2/repodata/*-primary.xml.bz2 >/dev/null || fail "bz2 flavour has no primary.xml.bz2"
ls "$FIXTURES"/simple/repodata/primary.xml.gz >/dev/null || fail "simple flavour has no repodata/primary.xml.gz"
assert_contains "$(<"$FIXTURES/sha1/repodata/repomd.xml")" '<checksum type="sha1">'
assert_contains "$(<"$FIXTURES/sha512/repodata/repomd.xml")" '<checksum type="sha512">'
assert_contains "$(<"$FIXTURES/updateinfo/repodata/repomd.xml")" '<data type="updateinfo">'
assert_contains "$(<"$FIXTURES/comps/repodata/repomd.xml")" '<data type="group">'
assert_contains "$(<"$FIXTURES/modules/repodata/repomd.xml")" '<data type="modules">'
assert_file_exists "$FIXTURES/signed/repodata/repomd.xml.asc" "$FIXTURES/signed/repodata/repomd.xml.key" \
                   "$FIXTURES/signed/RPM-GPG-KEY-chantal-fixtures" "$FIXTURES/gnupg/secret.asc"
assert_contains "$(zcat "$FIXTURES"/hostile-dotdot/repodata/*-primary.xml.gz)" 'href="../../../../../../../../etc/passwd"'
assert_contains "$(zcat "$FIXTURES"/hostile-scheme/repodata/*-primary.xml.gz)" 'href="file:///etc/passwd"'
assert_contains "$(zcat "$FIXTURES"/hostile-xxe/repodata/*-primary.xml.gz)" '<!ENTITY xxe SYSTEM "file:///etc/passwd">'
assert_contains "$(zcat "$FIXTURES"/hostile-laughs/repodata/*-primary.xml.gz | head -c 2000)" '<!ENTITY lol9'
bomb_size=$(zcat "$FIXTURES"/hostile-bomb/repodata/*-primary.xml.gz | wc -c)
((bomb_size > 100000000)) || fail "hostile-bomb primary expands to only $bomb_size bytes"

# ---------------------------------------------------------------- dnf repoquery per flavour
Q='%{name}-%{epoch}:%{version}-%{release}.%{arch}'
MAIN_SET='chantal-c++-utils-0:1.0-1.x86_64
chantal-caret-0:1.0^git1-1.noarch
chantal-demo-app-0:1.0-1.noarch
chantal-demo-app-0:1.0-1.src
chantal-epoch-2:1.0-1.noarch
chantal-multi-0:1.0-1.noarch
chantal-multi-0:1.1-1.noarch
chantal-multi-0:2.0-1.noarch
chantal-tilde-0:1.0~rc1-1.noarch'
V2_SET='chantal-c++-utils-0:1.0-1.x86_64
chantal-demo-app-0:1.0-1.noarch
chantal-demo-app-0:1.0-1.src
chantal-epoch-2:1.1-1.noarch
chantal-extra-0:1.0-1.noarch
chantal-multi-0:1.0-1.noarch
chantal-multi-0:1.1-1.noarch
chantal-multi-0:2.0-1.noarch
chantal-tilde-0:1.0~rc1-1.noarch'
LIB_SET='chantal-demo-lib-0:1.0-1.noarch'

repoquery_set() {  # FLAVOUR-or-URL -> sorted NEVRA list
  local url=$1
  [[ $url == *://* ]] || url=$(fixture_url "$1")
  dnf_offline --root "$SCRATCH/rq" --repo "$url" repoquery --qf "$Q" | LC_ALL=C sort
}
for f in main xz bz2 zstd sha1 sha512 simple updateinfo comps modules signed nested \
         escape-sibling hostile-dotdot hostile-scheme; do
  assert_eq "$MAIN_SET" "$(repoquery_set "$f")" "dnf repoquery of flavour $f"
done
for f in main-v2 updateinfo-v2; do
  assert_eq "$V2_SET" "$(repoquery_set "$f")" "dnf repoquery of flavour $f"
done
assert_eq "$LIB_SET" "$(repoquery_set lib)" "dnf repoquery of flavour lib"

# Details the metadata tests rely on.
assert_eq "$(fixture_url nested)/Packages/c/chantal-c++-utils-1.0-1.x86_64.rpm" \
  "$(dnf_offline --root "$SCRATCH/rq" --repo "$(fixture_url nested)" repoquery --location 'chantal-c++-utils')"
assert_contains "$(dnf_offline --root "$SCRATCH/rq" --repo "$(fixture_url main)" repoquery --requires chantal-demo-app)" \
  'chantal-demo-lib >= 1.0'
assert_contains "$(dnf_offline --root "$SCRATCH/rq" --repo "$(fixture_url main)" repoquery --changelogs chantal-demo-app)" \
  'First release'
assert_contains "$(dnf_offline --root "$SCRATCH/rq" --repo "$(fixture_url main)" repoquery --list 'chantal-c++-utils')" \
  '/usr/share/chantal-demo/c++/file with space+plus.txt'
assert_contains "$(dnf_offline --root "$SCRATCH/rq" --repo "$(fixture_url comps)" group list)" 'Chantal Demo'
assert_contains "$(dnf_offline --root "$SCRATCH/rq" --repo "$(fixture_url modules)" module list)" 'chantal-epoch'

# ---------------------------------------------------------------- signed repo
KEY=$FIXTURES/signed/RPM-GPG-KEY-chantal-fixtures
assert_eq "$MAIN_SET" "$(dnf_offline --root "$SCRATCH/gpg" --repo "$(fixture_url signed)" --gpgkey "$KEY" \
  repoquery --qf "$Q" | LC_ALL=C sort)" "repo_gpgcheck=1 on the signed flavour"
# An unsigned repo must not pass repo_gpgcheck=1 (proves the check is active).
assert_exit 1 dnf_offline --root "$SCRATCH/gpg" --repo "$(fixture_url main)" --gpgkey "$KEY" repoquery
assert_contains "$ASSERT_ERR" 'GPG'
# A tampered repomd.xml must fail verification.
copy_repo signed "$SCRATCH/tampered"
sed -i 's|<revision>|<revision>9|' "$SCRATCH/tampered/repodata/repomd.xml"
assert_exit 1 dnf_offline --root "$SCRATCH/gpg" --repo "file://$SCRATCH/tampered" --gpgkey "$KEY" repoquery

# Its packages are signed too: gpgcheck=1 installs them, and refuses main's.
dnf_offline --gpgcheck --root "$SCRATCH/gpg" --repo "$(fixture_url signed)" --gpgkey "$KEY" \
  install chantal-multi-2.0 >/dev/null
assert_file_exists "$SCRATCH/gpg/usr/share/chantal-demo/multi/VERSION-2.0"
assert_exit 1 dnf_offline --gpgcheck --root "$SCRATCH/gpg2" --repo "$(fixture_url main)" \
  --setopt=repo1.gpgkey="file://$KEY" install chantal-multi-2.0
assert_contains "$ASSERT_ERR$ASSERT_OUT" 'is not signed'

# ---------------------------------------------------------------- updateinfo
# dnf only reports advisories for installed packages: install old versions first.
dnf_offline --root "$SCRATCH/ui" --repo "$(fixture_url updateinfo)" install chantal-multi-1.0 chantal-epoch >/dev/null
ui=$(dnf_offline --root "$SCRATCH/ui" --repo "$(fixture_url updateinfo)" updateinfo list --all)
assert_contains "$ui" 'CHANTAL-2025:0001 Important/Sec. chantal-epoch-2:1.0-1.noarch'
assert_contains "$ui" 'CHANTAL-2025:0002 bugfix'
assert_contains "$ui" 'CHANTAL-2025:0003 enhancement'
sec=$(dnf_offline --root "$SCRATCH/ui" --repo "$(fixture_url updateinfo)" updateinfo list --all --security)
assert_contains "$sec" 'CHANTAL-2025:0001'
assert_not_contains "$sec" 'CHANTAL-2025:0002'
info=$(dnf_offline --root "$SCRATCH/ui" --repo "$(fixture_url updateinfo)" updateinfo info --all CHANTAL-2025:0001)
assert_contains "$info" 'CVE-2025-0001'
assert_contains "$info" 'CVE-2025-0002'
ui2=$(dnf_offline --root "$SCRATCH/ui" --repo "$(fixture_url updateinfo-v2)" updateinfo list --all)
assert_contains "$ui2" 'CHANTAL-2025:0004 Critical/Sec.  chantal-epoch-2:1.1-1.noarch'

# ---------------------------------------------------------------- install across two repos
# The app needs the lib, which only the lib repo has.
assert_exit 1 dnf_offline --root "$SCRATCH/inst" --repo "main=$(fixture_url main)" install chantal-demo-app
assert_contains "$ASSERT_ERR$ASSERT_OUT" 'chantal-demo-lib'
dnf_offline --root "$SCRATCH/inst" --repo "main=$(fixture_url main)" --repo "lib=$(fixture_url lib)" \
  install chantal-demo-app >/dev/null
assert_file_exists "$SCRATCH/inst/usr/bin/chantal-demo-app" "$SCRATCH/inst/usr/share/chantal-demo/lib/VERSION"
installed=$(dnf_offline --root "$SCRATCH/inst" --repo "main=$(fixture_url main)" --repo "lib=$(fixture_url lib)" \
  list --installed)
assert_contains "$installed" 'chantal-demo-lib.noarch'

# ---------------------------------------------------------------- servers
port=$(start_http_server "$FIXTURES")
assert_eq "$MAIN_SET" "$(repoquery_set "http://127.0.0.1:$port/main")" "repoquery over http.server"

nport=$(start_nginx "$FIXTURES" 'location /broken/ { return 500; }')
[[ $nport != "$port" ]] || fail "nginx and http.server got the same port"
curl -sf "http://127.0.0.1:$nport/main/chantal-c%2B%2B-utils-1.0-1.x86_64.rpm" -o "$SCRATCH/got.rpm" ||
  fail "nginx did not serve a package"
cmp "$SCRATCH/got.rpm" "$FIXTURES/main/chantal-c++-utils-1.0-1.x86_64.rpm" || fail "nginx served different bytes"
assert_eq 500 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$nport/broken/x")" "extra nginx directives"
assert_eq "$MAIN_SET" "$(repoquery_set "http://127.0.0.1:$nport/nested")" "repoquery over nginx"
dnf_offline --root "$SCRATCH/inst2" --repo "http://127.0.0.1:$nport/main" --repo "http://127.0.0.1:$nport/lib" \
  install chantal-demo-app >/dev/null
assert_file_exists "$SCRATCH/inst2/usr/bin/chantal-demo-app"

# ---------------------------------------------------------------- cleanup stack
# A child test that fails half-way must still stop its servers and remove its
# scratch directory; one killed with SIGKILL is cleaned up by the watchdog.
child=$SCRATCH/child.sh
cat >"$child" <<EOF
source "$CHANTAL_LIB"
start_http_server "$FIXTURES/main" >/dev/null
start_nginx "$FIXTURES/main" >/dev/null
on_exit "echo cleanup-ran >>'$SCRATCH/child.trace'"
on_exit "echo first-registered-runs-last >>'$SCRATCH/child.trace'"
echo "\$SCRATCH" >'$SCRATCH/child.scratch'
pgrep -P \$\$ -d ' ' >'$SCRATCH/child.pids'
[[ \${1:-} == hang ]] && exec sleep 300
fail "deliberate failure"
EOF
assert_exit 1 env TMPDIR="$SCRATCH" bash "$child"
assert_contains "$ASSERT_ERR" 'deliberate failure'
assert_eq $'first-registered-runs-last\ncleanup-ran' "$(<"$SCRATCH/child.trace")" "cleanup order"
assert_file_missing "$(<"$SCRATCH/child.scratch")"
gone() {  # PID...: every process has exited (or is a zombie nobody reaped yet)
  local pid st
  for pid in "$@"; do
    st=$(ps -o stat= -p "$pid" 2>/dev/null) || continue
    [[ $st == Z* ]] || return 1
  done
}
# shellcheck disable=SC2046
gone $(<"$SCRATCH/child.pids") || fail "processes of the failed child test survived: $(<"$SCRATCH/child.pids")"

rm -f "$SCRATCH/child.trace" "$SCRATCH/child.pids"
TMPDIR="$SCRATCH" bash "$child" hang >/dev/null 2>&1 &
victim=$!
wait_until 20 test -s "$SCRATCH/child.pids"
kill -KILL "$victim"
wait "$victim" 2>/dev/null || true
wait_until 10 test ! -e "$(<"$SCRATCH/child.scratch")"
# shellcheck disable=SC2046
wait_until 10 gone $(<"$SCRATCH/child.pids")

log "all fixture flavours and lib.sh helpers work"
