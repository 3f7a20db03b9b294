#!/bin/bash
# Every config users start from (examples/*.yaml) loads with `chantal config
# check`, without warnings and without touching storage, validates against
# the JSON Schema `chantal schema` prints (python3-jsonschema, draft
# 2020-12), and says what each repository becomes; the schema also refuses
# what the loader refuses (an unknown key, a value outside an enumeration).
source "$(dirname "$0")/lib.sh"
require_chantal
require_tools python3

examples=$CHANTAL_SOURCE_DIR/examples
schema=$SCRATCH/schema.json
assert_exit 0 chantal schema
printf '%s\n' "$ASSERT_OUT" >"$schema"
assert_contains "$ASSERT_OUT" '"$schema": "https://json-schema.org/draft/2020-12/schema"'

# Validates YAML files against the schema; prints one line per failure.
validate() {
  python3 - "$schema" "$@" <<'PY'
import json, sys, yaml, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
for path in sys.argv[2:]:
    for error in validator.iter_errors(yaml.safe_load(open(path))):
        print(f"{path}: {'.'.join(map(str, error.absolute_path))}: {error.message}")
PY
}

storage_before=$([ -e /var/lib/chantal ] && echo present || echo absent)
count=0
for file in "$examples"/*.yaml; do
  count=$((count + 1))
  assert_exit 0 chantal --config "$file" config check
  assert_eq "" "$ASSERT_ERR"  # no warning: every key of an example acts
  assert_contains "$ASSERT_OUT" "(valid)"
  assert_exit 0 chantal --config "$file" --format json config check
  report=$ASSERT_OUT
  [ "$(basename "$file")" = config.yaml ] && continue  # the demo config: no keys, no view per repository
  python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["valid"] and not r["warnings"], r
assert r["repositories"] and r["views"], "each example has repositories and a view"
for repo in r["repositories"]:
    assert repo["tree"] == ("mirror" if repo["mode"] == "mirror" else "generated"), repo
    assert repo["verify"] and repo["verify"]["gpgcheck"] and repo["verify"]["key_files"], repo["id"] + ": no signing key"
    assert (repo["mode"] == "filtered") == bool(repo["filters"]), repo
' <<<"$report" || fail "$file: config check report: $report"
done
assert_eq "$storage_before" "$([ -e /var/lib/chantal ] && echo present || echo absent)"
[ "$count" -ge 14 ] || fail "expected at least 14 example configs, found $count"
assert_eq "" "$(validate "$examples"/*.yaml)"

# What config check says an example becomes.
assert_exit 0 chantal --config "$examples/rhel9.yaml" config check
assert_match "$ASSERT_OUT" "rhel9-baseos +rpm +mirror +mirror +yes +https://cdn.redhat.com/content/dist/rhel9/9/x86_64/baseos/os"
assert_match "$ASSERT_OUT" "rhel9-crb +rpm +filtered +generated"
assert_contains "$ASSERT_OUT" "repository rhel9-crb (generated tree):"
assert_contains "$ASSERT_OUT" "filters.rpm.exclude_source_rpms; filters.patterns.exclude [-debuginfo\$, -debugsource\$]"
assert_contains "$ASSERT_OUT" "gpgcheck with /etc/pki/rpm-gpg/RPM-GPG-KEY-redhat-release; missing signature: fail, invalid: fail"
assert_contains "$ASSERT_OUT" "upstream's (mirror tree)"
assert_exit 0 chantal --config "$examples/gitlab.yaml" --format json config check
assert_contains "$ASSERT_OUT" '"newest 3 versions per name.arch"'
assert_contains "$ASSERT_OUT" '"repo_gpgcheck": true'

# The schema refuses what the loader refuses.
bad=$SCRATCH/bad.yaml
printf 'repositories:\n  - id: r\n    feed: file:///srv/r\n    colour: blue\n' >"$bad"
assert_contains "$(validate "$bad")" "'colour' was unexpected"
assert_exit 2 chantal --config "$bad" config check
printf 'repositories:\n  - id: r\n    feed: file:///srv/r\n    retention: {policy: keep-some}\n' >"$bad"
assert_contains "$(validate "$bad")" "'keep-some' is not one of"
assert_exit 2 chantal --config "$bad" config check
printf 'download: {parallel: 101}\n' >"$bad"
assert_contains "$(validate "$bad")" "101 is greater than the maximum of 100"
assert_exit 2 chantal --config "$bad" config check
