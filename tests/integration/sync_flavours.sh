#!/bin/bash
# Every repository flavour syncs over HTTP (nginx) into a mirror tree whose
# files are upstream's, byte for byte; a re-sync is "up to date" and fetches
# nothing; content shared between repos is fetched once; --all/--pattern;
# one failing repo does not stop the others.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
require_tools createrepo_c sqlite3 nginx sha256sum
flavours=(main xz bz2 zstd sha1 sha512 simple nested updateinfo comps modules signed)
make_repos "${flavours[@]}" lib
port=$(start_nginx "$FIXTURES")

config=$SCRATCH/config.yaml
{
  chantal_config_base "$SCRATCH/state"
  echo "repositories:"
  for f in "${flavours[@]}" lib; do
    printf '  - id: %s\n    feed: http://127.0.0.1:%s/%s/\n' "$f" "$port" "$f"
  done
  printf '  - id: broken\n    feed: http://127.0.0.1:%s/no-such-repo\n    enabled: true\n' "$port"
} >"$config"
db=$SCRATCH/state/chantal.db
chantal --config "$config" init >/dev/null

# --all syncs every repo; the broken one fails and is named, the others land.
assert_exit 1 chantal --config "$config" repo sync --all
assert_contains "$ASSERT_ERR" "repo broken: cannot fetch repomd.xml"
assert_contains "$ASSERT_ERR" "1 of 14 repositories failed to sync: broken"
assert_contains "$ASSERT_OUT" "main: 9 added, 0 unchanged"

for f in "${flavours[@]}"; do
  # The mirror tree: every file at its upstream path with upstream's bytes.
  tree=$(sqlite3 "$db" "SELECT rc.path, c.sha256 FROM repository_contents rc JOIN repositories r ON r.id = rc.repository_id
                       JOIN content_items c ON c.id = rc.content_id WHERE r.repo_id = '$f' ORDER BY rc.path")
  [[ -n $tree ]] || fail "$f: empty tree"
  while IFS='|' read -r path sha; do
    actual=$(sha256sum "$FIXTURES/$f/$path" | cut -d' ' -f1)
    assert_eq "$actual" "$sha" "$f: $path differs from upstream"
  done <<<"$tree"
  # ... and nothing upstream lists is missing: every package and repodata file.
  upstream_files=$(cd "$FIXTURES/$f" && find . -name '*.rpm' -o -path './repodata/*' -type f | sed 's|^\./||' | sort)
  mirror_files=$(cut -d'|' -f1 <<<"$tree" | sort)
  assert_eq "$upstream_files" "$mirror_files" "$f: mirror tree file list"
  generated=$(sqlite3 "$db" "SELECT generated_tree FROM repositories WHERE repo_id = '$f'")
  assert_eq 0 "$generated" "$f should be a mirror tree"
done
# The signed repo keeps its signature and key next to the exact repomd.xml they sign.
sqlite3 "$db" "SELECT path FROM repository_contents rc JOIN repositories r ON r.id = rc.repository_id
               WHERE r.repo_id = 'signed' AND rc.role = 'metadata'" >"$SCRATCH/signed-meta"
assert_contains "$(cat "$SCRATCH/signed-meta")" "repodata/repomd.xml.asc"
assert_contains "$(cat "$SCRATCH/signed-meta")" "repodata/repomd.xml.key"

# Packages shared between flavours are stored once; the pool holds each file once.
distinct=$(sqlite3 "$db" "SELECT count(DISTINCT sha256) FROM content_items WHERE kind = 'package'")
pool_packages=$(find "$SCRATCH/state/pool" -name '*.rpm' | wc -l)
assert_eq "$distinct" "$pool_packages" "pool package files"
# sha1 and sha512 repos linked the packages main brought in (matched locally), not re-fetched.
sha1_downloads=$(sqlite3 "$db" "SELECT files_downloaded FROM sync_history h JOIN repositories r ON r.id = h.repository_id
                                WHERE r.repo_id = 'sha1' AND status = 'success'")
(( sha1_downloads <= 8 )) || fail "sha1 repo fetched $sha1_downloads files: shared packages were downloaded again"

# A re-sync with no upstream change fetches nothing but repomd.xml.
: >"$SCRATCH/nginx-$port/access.log" 2>/dev/null || true
assert_exit 0 chantal --config "$config" repo sync --pattern 'ma*'
assert_contains "$ASSERT_OUT" "main: up to date (9 packages"
assert_not_contains "$ASSERT_OUT" "xz"
if [[ -f $SCRATCH/nginx-$port/access.log ]]; then
  assert_not_contains "$(cat "$SCRATCH/nginx-$port/access.log")" ".rpm" "an up-to-date sync fetched a package"
fi

# JSON output and history.
assert_exit 0 chantal --config "$config" --format json repo sync --repo-id lib
python3 -c 'import json,sys; r=json.load(sys.stdin); assert r[0]["status"]=="up_to_date", r' <<<"$ASSERT_OUT"
assert_exit 0 chantal --config "$config" repo history --repo-id broken
assert_contains "$ASSERT_OUT" "failed"
assert_exit 0 chantal --config "$config" --format json repo list
python3 -c 'import json,sys; r={x["id"]:x for x in json.load(sys.stdin)}; assert r["main"]["packages"]==9, r["main"]' <<<"$ASSERT_OUT"
log "ok"
