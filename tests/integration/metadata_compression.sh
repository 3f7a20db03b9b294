#!/bin/bash
# metadata.compression end to end: generated trees (filtered repos, a view)
# with each value — auto, gzip, zstandard, bzip2, none, a repository's own or
# inherited from the top level — are synced, mounted with chantalfs and
# served by nginx; repomd.xml names each file with the format's suffix and
# the right checksum, size and open-checksum (none for uncompressed files),
# and dnf reads every variant (repoquery gives upstream's packages).
source "$(dirname "$0")/lib.sh"
require_tools createrepo_c dnf nginx python3 zstd bzip2
require_fuse
require_chantal
require_chantalfs
make_repos main lib

cfg=$SCRATCH/config.yaml
chantal_config_base "$SCRATCH/state" >"$cfg"
cat >>"$cfg" <<CONFIG
metadata: {compression: bzip2}          # the default of repositories without their own, and of views
repositories:
  - id: inherited
    feed: $(fixture_url main)
    mode: filtered
  - id: auto
    feed: $(fixture_url main)
    mode: filtered
    metadata: {compression: auto}
  - id: gzip
    feed: $(fixture_url main)
    mode: filtered
    metadata: {compression: gzip}
  - id: zstandard
    feed: $(fixture_url main)
    mode: filtered
    metadata: {compression: zstandard}
  - id: none
    feed: $(fixture_url main)
    mode: filtered
    metadata: {compression: none}
  - id: lib
    feed: $(fixture_url lib)
views:
  - name: all
    repos: [zstandard, lib]
CONFIG
chantal --config "$cfg" init >/dev/null
assert_exit 0 chantal --config "$cfg" -q repo sync --all
assert_exit 0 chantal --config "$cfg" -q snapshot create --view all --name v1

mnt=$SCRATCH/mnt
start_chantalfs "$cfg" "$mnt"
port=$(start_nginx "$mnt")
base=http://127.0.0.1:$port

# check_repodata TREE SUFFIX: every file repomd.xml names is there with its
# checksum and size; primary, filelists and other end in SUFFIX, and their
# open-checksum/open-size describe the decompressed bytes (absent for none).
check_repodata() {
  python3 - "$1" "$2" <<'PY' || fail "repodata of $1"
import hashlib, subprocess, sys, xml.etree.ElementTree as ET
tree, suffix = sys.argv[1], sys.argv[2]
ns = {"r": "http://linux.duke.edu/metadata/repo"}
decompress = {".gz": ["gzip", "-dc"], ".zst": ["zstd", "-q", "-dc"], ".bz2": ["bzip2", "-dc"], "": ["cat"]}
seen = set()
for data in ET.parse(f"{tree}/repodata/repomd.xml").getroot().findall("r:data", ns):
    kind = data.get("type")
    href = data.find("r:location", ns).get("href")
    body = open(f"{tree}/{href}", "rb").read()
    digest = hashlib.sha256(body).hexdigest()
    assert data.find("r:checksum", ns).text == digest, (kind, "checksum")
    assert int(data.find("r:size", ns).text) == len(body), (kind, "size")
    assert href.startswith(f"repodata/{digest}-"), (kind, href)
    if kind not in ("primary", "filelists", "other"):
        continue
    seen.add(kind)
    assert href.endswith(f"-{kind}.xml{suffix}"), (kind, href, suffix)
    plain = subprocess.run(decompress[suffix], input=body, capture_output=True, check=True).stdout
    assert plain.startswith(b"<?xml"), (kind, plain[:20])
    open_checksum = data.find("r:open-checksum", ns)
    if suffix:
        assert open_checksum.text == hashlib.sha256(plain).hexdigest(), (kind, "open-checksum")
        assert int(data.find("r:open-size", ns).text) == len(plain), (kind, "open-size")
    else:
        assert open_checksum is None and data.find("r:open-size", ns) is None, (kind, "open-* on an uncompressed file")
assert seen == {"primary", "filelists", "other"}, seen
PY
}

packages() { dnf_offline --root "$SCRATCH/root-$1" --repo "r=$2" repoquery --qf '%{name}-%{epoch}:%{version}-%{release}.%{arch}' | sort; }
upstream=$(packages upstream "$FIXTURES/main")
[ -n "$upstream" ] || fail "no packages upstream"

for pair in inherited:.bz2 auto:.gz gzip:.gz zstandard:.zst none:; do
  id=${pair%%:*} suffix=${pair#*:}
  log "repository $id: repodata *.xml$suffix"
  check_repodata "$mnt/repos/$id/latest" "$suffix"
  assert_eq "$upstream" "$(packages "$id" "$base/repos/$id/latest")"
done
# auto and gzip are the same bytes. Only the revision and timestamps may
# differ: they are each repository's own change time, and the two syncs can
# fall in different seconds.
without_times() { sed -E '/<(revision|timestamp)>/d' "$1"; }
assert_eq "$(without_times "$mnt/repos/auto/latest/repodata/repomd.xml")" \
  "$(without_times "$mnt/repos/gzip/latest/repodata/repomd.xml")"

# The view takes the top level's compression, not a member's.
check_repodata "$mnt/views/all/latest" .bz2
check_repodata "$mnt/views/all/snapshots/v1" .bz2
view=$(packages view "$base/views/all/snapshots/v1")
assert_eq "$(printf '%s\n%s\n' "$upstream" "$(packages lib "$FIXTURES/lib")" | sort)" "$view"
# A mirror tree keeps upstream's repodata whatever the setting.
cmp "$mnt/repos/lib/latest/repodata/repomd.xml" "$FIXTURES/lib/repodata/repomd.xml" || fail "mirror repomd.xml changed"

# An unknown value is refused at load time, naming the values.
bad=$SCRATCH/bad.yaml
printf 'metadata: {compression: zstd}\n' >"$bad"
assert_exit 2 chantal --config "$bad" config check
assert_contains "$ASSERT_ERR" "error: $bad:1: 'metadata.compression' must be auto, gzip, zstandard, bzip2 or none, not 'zstd'"
