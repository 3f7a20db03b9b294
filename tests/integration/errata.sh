#!/bin/bash
# Errata from real updateinfo (modifyrepo_c): errata list/show with filters,
# a filtered repo drops advisories whose packages are all filtered out, a view
# shows its members' advisories, a revised upstream advisory replaces the old
# one while snapshots keep theirs, snapshot diff lists what the newer side
# brings, and dnf sees the generated updateinfo through the mounted view.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_tools createrepo_c modifyrepo_c dnf sqlite3 python3
require_fuse
require_chantalfs
make_repos updateinfo updateinfo-v2 lib
served=$SCRATCH/served
mkdir -p "$served"
cp -a "$FIXTURES/updateinfo" "$served/up"
cp -a "$FIXTURES/lib" "$served/lib"
# The lib repo gets an advisory of its own, so a view has two members' errata.
cat >"$SCRATCH/lib-updateinfo.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<updates>
  <update from="lib@example.com" status="final" type="security" version="1">
    <id>LIB-2025:0001</id><title>lib fix</title><severity>Low</severity>
    <issued date="2025-03-01 00:00:00"/><updated date="2025-03-01 00:00:00"/>
    <description>Fixes the library.</description>
    <references><reference href="https://example.com/CVE-2025-0099" id="CVE-2025-0099" type="cve" title="CVE-2025-0099"/></references>
    <pkglist><collection short="lib"><name>lib</name>
      <package name="chantal-demo-lib" version="1.0" release="1" epoch="0" arch="noarch" src="chantal-demo-lib-1.0-1.src.rpm">
        <filename>chantal-demo-lib-1.0-1.noarch.rpm</filename></package>
    </collection></pkglist>
  </update>
</updates>
XML
modifyrepo_c -q --mdtype=updateinfo "$SCRATCH/lib-updateinfo.xml" "$served/lib/repodata" >/dev/null 2>&1 ||
  modifyrepo_c --mdtype=updateinfo "$SCRATCH/lib-updateinfo.xml" "$served/lib/repodata" >/dev/null
port=$(start_http_server "$served")

config=$SCRATCH/config.yaml
{
  chantal_config_base "$SCRATCH/state"
  cat <<YAML
repositories:
  - id: up
    feed: http://127.0.0.1:$port/up
  - id: lib
    feed: http://127.0.0.1:$port/lib
  - id: no-multi
    feed: http://127.0.0.1:$port/up
    filters:
      patterns: {exclude: ["^chantal-multi\$"]}
views:
  - name: all
    repos: [up, lib]
YAML
} >"$config"
chantal --config "$config" init >/dev/null
chantal --config "$config" -q repo sync --all >/dev/null
ids() { python3 -c 'import json,sys; print(" ".join(sorted(a["id"] for a in json.load(sys.stdin))))'; }

assert_exit 0 chantal --config "$config" --format json errata list --repo-id up
assert_eq "CHANTAL-2025:0001 CHANTAL-2025:0002 CHANTAL-2025:0003" "$(ids <<<"$ASSERT_OUT")"
assert_exit 0 chantal --config "$config" --format json errata list --repo-id up --type security
assert_eq "CHANTAL-2025:0001" "$(ids <<<"$ASSERT_OUT")"
assert_exit 0 chantal --config "$config" --format json errata list --repo-id up --cve CVE-2025-0002
assert_eq "CHANTAL-2025:0001" "$(ids <<<"$ASSERT_OUT")"
assert_exit 0 chantal --config "$config" --format json errata list --repo-id up --severity important
assert_eq "CHANTAL-2025:0001" "$(ids <<<"$ASSERT_OUT")"
assert_exit 0 chantal --config "$config" errata list --repo-id up --since 2099-01-01
assert_contains "$ASSERT_OUT" "no advisories"
assert_exit 2 chantal --config "$config" errata list --repo-id up --since yesterday
assert_contains "$ASSERT_ERR" "YYYY-MM-DD"
assert_exit 0 chantal --config "$config" errata show CHANTAL-2025:0001
assert_contains "$ASSERT_OUT" "CVE-2025-0001 CVE-2025-0002"
assert_contains "$ASSERT_OUT" "chantal-epoch-2:1.0-1.noarch"
assert_exit 1 chantal --config "$config" errata show NOPE-1
assert_contains "$ASSERT_ERR" "unknown advisory 'NOPE-1'"

# Filtered repo: 0003 names only chantal-multi-2.0, which is filtered out.
assert_exit 0 chantal --config "$config" --format json errata list --repo-id no-multi
assert_eq "CHANTAL-2025:0001 CHANTAL-2025:0002" "$(ids <<<"$ASSERT_OUT")"
# The view carries both members' advisories.
assert_exit 0 chantal --config "$config" --format json errata list --view all
assert_eq "CHANTAL-2025:0001 CHANTAL-2025:0002 CHANTAL-2025:0003 LIB-2025:0001" "$(ids <<<"$ASSERT_OUT")"

chantal --config "$config" -q snapshot create --repo-id up --name s1 >/dev/null
# Upstream revises 0002 and adds 0004 (with chantal-epoch 2:1.1).
rm -rf "$served/up" && cp -a "$FIXTURES/updateinfo-v2" "$served/up"
chantal --config "$config" -q repo sync --repo-id up >/dev/null
chantal --config "$config" -q snapshot create --repo-id up --name s2 >/dev/null
assert_exit 0 chantal --config "$config" --format json snapshot diff --repo-id up --from s1 --to s2
python3 - "$ASSERT_OUT" <<'PY'
import json, sys
diff = json.loads(sys.argv[1])
ids = sorted(a["id"] for a in diff["advisories"])
assert ids == ["CHANTAL-2025:0002", "CHANTAL-2025:0004"], diff["advisories"]
PY
assert_exit 0 chantal --config "$config" snapshot diff --repo-id up --from s1 --to latest
assert_contains "$ASSERT_OUT" "CHANTAL-2025:0004"
# The snapshot keeps the advisories it was taken with.
assert_exit 0 chantal --config "$config" --format json errata list --repo-id up --snapshot s1
assert_not_contains "$ASSERT_OUT" "CHANTAL-2025:0004"
assert_exit 0 chantal --config "$config" --format json errata list --repo-id up
assert_contains "$(ids <<<"$ASSERT_OUT")" "CHANTAL-2025:0004"
updated_new=$(sqlite3 "$SCRATCH/state/chantal.db" "SELECT max(updated) FROM advisories WHERE advisory_id = 'CHANTAL-2025:0002'")
assert_exit 0 chantal --config "$config" --format json errata show CHANTAL-2025:0002
assert_contains "$ASSERT_OUT" "\"updated\": \"$updated_new\""

# dnf reads the generated updateinfo of the view through the mount.
mnt=$SCRATCH/mnt
mkdir -p "$mnt"
mount_cleanup "$mnt"
chantalfs --config "$config" "$mnt" -f 2>"$SCRATCH/chantalfs.log" &
wait_until 10 test -d "$mnt/views/all/latest/repodata"
ls "$mnt/views/all/latest/repodata" >"$SCRATCH/repodata-list"
assert_contains "$(cat "$SCRATCH/repodata-list")" "-updateinfo.xml.gz"
root=$SCRATCH/root
# Old versions come from the mounted snapshot s1 (a mirror tree).
dnf_offline --root "$root" --repo "old=file://$mnt/repos/up/snapshots/s1" install chantal-multi-1.0 chantal-epoch-1.0 >/dev/null ||
  fail "dnf install from the mounted snapshot failed"
dnf_offline --root "$root" --repo "view=file://$mnt/views/all/latest" install chantal-demo-lib >/dev/null ||
  fail "dnf install from the mounted view failed"
out=$(dnf_offline --root "$root" --repo "view=file://$mnt/views/all/latest" updateinfo list --all)
for id in CHANTAL-2025:0002 CHANTAL-2025:0003 CHANTAL-2025:0004; do assert_contains "$out" "$id"; done
# 0001 names only chantal-epoch-2:1.0, which the view no longer holds.
assert_not_contains "$out" "CHANTAL-2025:0001"
out=$(dnf_offline --root "$root" --repo "view=file://$mnt/views/all/latest" updateinfo list --all --security)
assert_contains "$out" "CHANTAL-2025:0004"
assert_not_contains "$out" "CHANTAL-2025:0002"
assert_contains "$out" "LIB-2025:0001"  # the second member's advisory
out=$(dnf_offline --root "$root" --repo "view=file://$mnt/views/all/latest" updateinfo info CHANTAL-2025:0004)
assert_contains "$out" "CVE-2025-0003"
assert_contains "$out" "Critical"
fusermount3 -u -z "$mnt"

# The same through an exported tree served by nginx.
chantal --config "$config" -q export --view all --dest "$SCRATCH/export" >/dev/null
web=$(start_nginx "$SCRATCH/export")
out=$(dnf_offline --root "$root" --repo "web=http://127.0.0.1:$web/" updateinfo list --all --security)
assert_contains "$out" "CHANTAL-2025:0004"
assert_contains "$out" "LIB-2025:0001"
assert_not_contains "$out" "CHANTAL-2025:0002"
out=$(dnf_offline --root "$root" --repo "web=http://127.0.0.1:$web/" updateinfo info --all LIB-2025:0001)
assert_contains "$out" "CVE-2025-0099"
log "ok"
