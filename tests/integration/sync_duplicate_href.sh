#!/bin/bash
# One package listed twice in primary.xml: the same RPM sits in two folders
# of the upstream, and createrepo_c writes one pkgid at two location hrefs
# (real upstreams do this too). The FIRST sync succeeds, downloads the file
# once, and the mirror serves it at both paths (two rows, one content); a
# filtered repo (generated tree) holds it once at Packages/<c>/<file>, with
# no "share a path" warning. dnf installs it from the exported mirror.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_tools createrepo_c dnf sqlite3 rpm
make_repos main
rpm_file=chantal-epoch-1.0-1.noarch.rpm

upstream=$SCRATCH/upstream/repo
mkdir -p "$upstream/a" "$upstream/b"
cp "$FIXTURES/main/$rpm_file" "$upstream/a/"
cp "$FIXTURES/main/$rpm_file" "$upstream/b/"
cp "$FIXTURES/main/chantal-multi-1.0-1.noarch.rpm" "$upstream/"
createrepo_c --quiet "$upstream" >/dev/null
hrefs=$(zcat "$upstream"/repodata/*-primary.xml.gz | grep -o "location href=\"[^\"]*$rpm_file\"" | LC_ALL=C sort | tr '\n' ' ')
assert_eq "location href=\"a/$rpm_file\" location href=\"b/$rpm_file\" " "$hrefs" "createrepo_c did not list the package twice"

port=$(start_http_server "$SCRATCH/upstream")
config=$SCRATCH/config.yaml
{
  chantal_config_base "$SCRATCH/state"
  cat <<YAML
repositories:
  - id: mirror
    feed: http://127.0.0.1:$port/repo
  - id: filtered
    feed: http://127.0.0.1:$port/repo
    filters:
      patterns: {include: ["^chantal-epoch$"]}
YAML
} >"$config"
db=$SCRATCH/state/chantal.db
chantal --config "$config" init >/dev/null

# check-updates counts the package once.
assert_exit 0 chantal --config "$config" --format json repo check-updates --repo-id mirror
python3 - "$ASSERT_OUT" <<'PY'
import json, sys
check = json.loads(sys.argv[1])[0]
assert sorted(c["name"] for c in check["added"]) == ["chantal-epoch", "chantal-multi"], check
assert check["download_files"] == 2, check
PY

# The first sync of the mirror succeeds and fetches the file once.
assert_exit 0 chantal --config "$config" repo sync --repo-id mirror
assert_contains "$ASSERT_OUT" "mirror: 2 added, 0 unchanged"
assert_not_contains "$ASSERT_ERR" "warning"
gets=$(grep -c "GET /repo/[ab]/$rpm_file" "$SCRATCH"/http-"$port".log || true)
assert_eq 1 "$gets" "the package listed twice must be downloaded once"
assert_eq 1 "$(find "$SCRATCH/state/pool" -name "*_$rpm_file" | wc -l)"
assert_eq "" "$(find "$SCRATCH/state/tmp" -name '*.part')" "partial files left behind"

# Both hrefs are rows of latest, with the same content and package.
rows=$(sqlite3 "$db" "SELECT rc.path, rc.content_id, rc.package_id FROM repository_contents rc
  JOIN repositories r ON r.id = rc.repository_id WHERE r.repo_id = 'mirror' AND rc.path LIKE '%$rpm_file' ORDER BY rc.path")
assert_eq 2 "$(wc -l <<<"$rows")" "both paths must be in latest: $rows"
assert_eq 1 "$(cut -d'|' -f2,3 <<<"$rows" | sort -u | wc -l)" "both paths must be the same content: $rows"

# The exported mirror serves both paths, the same bytes as upstream's.
assert_exit 0 chantal --config "$config" -q export --repo-id mirror --dest "$SCRATCH/export-mirror"
cmp "$SCRATCH/export-mirror/a/$rpm_file" "$FIXTURES/main/$rpm_file" || fail "a/$rpm_file differs"
cmp "$SCRATCH/export-mirror/b/$rpm_file" "$FIXTURES/main/$rpm_file" || fail "b/$rpm_file differs"
cmp "$SCRATCH/export-mirror/repodata/repomd.xml" "$upstream/repodata/repomd.xml" || fail "mirror repomd.xml differs"

# A second sync has nothing to do.
assert_exit 0 chantal --config "$config" repo sync --repo-id mirror
assert_contains "$ASSERT_OUT" "up to date"

# A generated tree keeps the package once, without a warning.
assert_exit 0 chantal --config "$config" repo sync --repo-id filtered
assert_not_contains "$ASSERT_ERR" "share a path"
assert_not_contains "$ASSERT_ERR" "warning"
paths=$(sqlite3 "$db" "SELECT group_concat(rc.path, ' ') FROM repository_contents rc JOIN repositories r ON r.id = rc.repository_id
  WHERE r.repo_id = 'filtered' AND rc.role = 'package'")
assert_eq "Packages/c/$rpm_file" "$paths"
assert_exit 0 chantal --config "$config" -q export --repo-id filtered --dest "$SCRATCH/export-filtered"
cmp "$SCRATCH/export-filtered/Packages/c/$rpm_file" "$FIXTURES/main/$rpm_file" || fail "generated tree's $rpm_file differs"

# dnf installs the package from the exported mirror.
assert_exit 0 dnf_offline --repo "file://$SCRATCH/export-mirror" install chantal-epoch
assert_exit 0 rpm --root "$SCRATCH/dnf-root" -q chantal-epoch
log "ok"
