#!/bin/bash
# Installing: scripts/install (staged with DESTDIR, default prefix) and
# `cmake --install --prefix` put every file where the systemd units, the
# fstab line and the docs expect it, and nothing else; the man pages render
# without warnings; the installed units name installed programs and pages
# (and pass `systemd-analyze verify`); the installed chantal checks a config;
# the mount helper and mount(8) with the fstab line mount the tree with the
# installed chantalfs; the installed bash completion completes commands,
# subcommands and option values.
source "$(dirname "$0")/lib.sh"
require_tools cmake man groff bash
require_chantal
require_chantalfs
build=$CHANTAL_BUILD_DIR
[[ -f $build/cli/chantal.1 && -f $build/cli/chantal.bash ]] ||
  fail "the build has no generated chantal.1 / chantal.bash (CHANTAL_BUILD_DOCS=OFF?)"

# installed_files ROOT: every file and symlink below ROOT, relative, sorted.
installed_files() { (cd "$1" && find . -type f -o -type l | sed 's|^\./||' | LC_ALL=C sort); }

# expected_files PREFIX HELPER_DIR: what an install with the systemd component holds (no leading /).
expected_files() {
  local prefix=${1#/} helper=${2#/} doc
  {
    printf '%s\n' "$prefix/bin/chantal" "$prefix/bin/chantalfs" "$helper/mount.fuse.chantalfs" \
      "$prefix/share/man/man1/chantal.1" "$prefix/share/man/man8/chantalfs.8" "$prefix/share/man/man5/chantal-config.5" \
      "$prefix/share/bash-completion/completions/chantal" "$prefix/share/doc/chantal/README.md" \
      "$prefix/share/doc/chantal/examples/nginx-chantal.conf" \
      "$prefix/share/doc/chantal/examples/fstab.example"
    for doc in "$CHANTAL_SOURCE_DIR"/examples/*.yaml; do printf '%s\n' "$prefix/share/doc/chantal/examples/$(basename "$doc")"; done
    for doc in "$CHANTAL_SOURCE_DIR"/docs/*.md; do printf '%s\n' "$prefix/share/doc/chantal/$(basename "$doc")"; done
    for unit in chantalfs.service chantal-sync.service chantal-sync.timer; do
      printf '%s\n' "$prefix/share/doc/chantal/examples/systemd/$unit" "$prefix/lib/systemd/system/$unit"
    done
  } | sed 's|^/||' | LC_ALL=C sort
}

# check_man_page FILE: renders with neither man nor groff warning.
check_man_page() {
  assert_exit 0 env LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -l "$1"
  assert_eq "" "$ASSERT_ERR" "man --warnings on $(basename "$1")"
  assert_ne "" "$ASSERT_OUT" "man renders $(basename "$1")"
  assert_exit 0 groff -ww -z -man "$1"
  assert_eq "" "$ASSERT_ERR$ASSERT_OUT" "groff -ww on $(basename "$1")"
}

# check_unit_paths ROOT PREFIX UNIT: every program the unit runs and every
# page it documents exists (under ROOT, the DESTDIR, for the install's own files).
check_unit_paths() {
  local root=$1 prefix=$2 unit=$3 line program document page section
  while read -r line; do
    program=${line#*=}
    program=${program#-}
    program=${program%% *}
    if [[ $program == "$prefix"/* ]]; then
      [[ -x $root$program ]] || fail "$(basename "$unit"): ${line%%=*} runs $program, not installed"
    else
      [[ -x $program ]] || fail "$(basename "$unit"): ${line%%=*} runs $program, missing on this system"
    fi
  done < <(grep -E '^(ExecStart|ExecStartPre|ExecStop)=' "$unit")
  for document in $(sed -n 's/^Documentation=//p' "$unit"); do
    case $document in
      man:*)
        page=${document#man:}
        section=${page#*(}
        section=${section%)}
        page=${page%%(*}
        assert_file_exists "$root$prefix/share/man/man$section/$page.$section"
        ;;
      file://*) assert_file_exists "$root${document#file://}" ;;
      *) fail "$(basename "$unit"): unexpected Documentation=$document" ;;
    esac
  done
  [[ -n $(sed -n 's/^Documentation=//p' "$unit") ]] || fail "$(basename "$unit") has no Documentation="
}

# ---- 1. scripts/install, staged: DESTDIR and the default prefix /usr/local
stage=$SCRATCH/stage
assert_exit 0 env DESTDIR="$stage" "$CHANTAL_SOURCE_DIR/scripts/install" --build-dir "$build" --no-build --systemd
assert_eq "$(expected_files /usr/local /sbin)" "$(installed_files "$stage")" "files of the staged install"
for program in usr/local/bin/chantal usr/local/bin/chantalfs sbin/mount.fuse.chantalfs; do
  [[ -x $stage/$program ]] || fail "$program is not executable"
done
assert_exit 0 "$stage/usr/local/bin/chantal" --version
assert_contains "$ASSERT_OUT" "chantal "
assert_contains "$(<"$stage/sbin/mount.fuse.chantalfs")" "PATH=/usr/local/bin/:"
for page in man1/chantal.1 man8/chantalfs.8 man5/chantal-config.5; do
  check_man_page "$stage/usr/local/share/man/$page"
done
# chantal(1) holds every command with its options, from the CLI itself.
chantal_page=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$stage/usr/local/share/man/man1/chantal.1" 2>/dev/null)
for text in "chantal repo sync" "chantal config check" "chantal completion bash" "chantal snapshot diff" \
  "--workers" "--repo-id" "--format table|json" "EXIT STATUS"; do
  assert_contains "$chantal_page" "$text" "chantal(1)"
done
assert_contains "$chantal_page" "chantal manual" "chantal(1)"
# Every command the completion knows has its section in chantal(1).
commands=$(bash --norc --noprofile -c '
  source "$1"
  paths=("")
  while ((${#paths[@]})); do
    path=${paths[0]}
    paths=("${paths[@]:1}")
    _chantal_commands "$path"
    for sub in $REPLY; do
      printf "%s\n" "${path:+$path }$sub"
      paths+=("${path:+$path }$sub")
    done
  done' commands "$stage/usr/local/share/bash-completion/completions/chantal")
(($(wc -l <<<"$commands") > 30)) || fail "too few commands in the completion: $commands"
while read -r command; do
  assert_contains "$chantal_page" $'\n'"   chantal $command"$'\n' "chantal(1) section of '$command'"
done <<<"$commands"
for unit in "$stage"/usr/local/share/doc/chantal/examples/systemd/* "$stage"/usr/local/lib/systemd/system/*; do
  check_unit_paths "$stage" /usr/local "$unit"
done
assert_contains "$(<"$stage/usr/local/lib/systemd/system/chantalfs.service")" \
  "ExecStart=/usr/local/bin/chantalfs --config /etc/chantal/config.yaml /srv/mirror"
assert_contains "$(<"$stage/usr/local/share/doc/chantal/examples/fstab.example")" \
  "/etc/chantal/config.yaml  /srv/mirror  fuse.chantalfs  ro,allow_other,nofail,_netdev  0  0"

# ---- 2. cmake --install into another prefix: every path follows it; the
# units go to lib/systemd/system only with the component systemd
prefix=$SCRATCH/prefix
assert_exit 0 cmake --install "$build" --prefix "$SCRATCH/plain"
assert_eq "$(expected_files "" /sbin | grep -v '^lib/systemd/')" "$(installed_files "$SCRATCH/plain")" \
  "files of an install without the systemd component"
assert_exit 0 cmake --install "$build" --prefix "$prefix"
assert_exit 0 cmake --install "$build" --prefix "$prefix" --component systemd
assert_eq "$(expected_files "" /sbin)" "$(installed_files "$prefix")" "files of the --prefix install"
for unit in "$prefix"/lib/systemd/system/*; do
  check_unit_paths "" "$prefix" "$unit"
  assert_not_contains "$(<"$unit")" "/usr/local/" "$(basename "$unit") still names the default prefix"
done
assert_contains "$(<"$prefix/lib/systemd/system/chantalfs.service")" "ExecStart=$prefix/bin/chantalfs "
assert_contains "$(<"$prefix/lib/systemd/system/chantalfs.service")" \
  "Documentation=man:chantalfs(8) file://$prefix/share/doc/chantal/operations.md"
if command -v systemd-analyze >/dev/null; then
  # Real paths here: the programs exist, and man finds the pages the units name.
  assert_exit 0 env MANPATH="$prefix/share/man" systemd-analyze verify "$prefix"/lib/systemd/system/*
  assert_eq "" "$ASSERT_ERR$ASSERT_OUT" "systemd-analyze verify findings"
else
  log "skipped: systemd-analyze is not installed, the installed units are not verified"
fi

# The mount helper, called as mount(8) calls it, with mount's bare environment:
# mount.fuse3 starts the installed chantalfs, found through the helper's PATH.
require_fuse
cfg=$SCRATCH/config.yaml
chantal_config_base "$SCRATCH/state" >"$cfg"
assert_exit 0 "$prefix/bin/chantal" --config "$cfg" config check
assert_file_missing "$SCRATCH/state/chantal.db" "$SCRATCH/state/pool"
printf 'storage:\n  colour: blue\n' >"$SCRATCH/broken.yaml"
assert_exit 2 "$prefix/bin/chantal" --config "$SCRATCH/broken.yaml" config check
assert_contains "$ASSERT_ERR" "unknown key 'colour'"
assert_exit 0 "$prefix/bin/chantal" --config "$cfg" init
mnt=$SCRATCH/mnt
mkdir -p "$mnt"
mount_cleanup "$mnt"
assert_exit 0 env -i PATH=/usr/bin:/bin ${ASAN_OPTIONS:+"ASAN_OPTIONS=$ASAN_OPTIONS"} \
  ${UBSAN_OPTIONS:+"UBSAN_OPTIONS=$UBSAN_OPTIONS"} "$prefix/sbin/mount.fuse.chantalfs" "$cfg" "$mnt" -o ro,nofail,_netdev
wait_until 10 grep -q " $mnt fuse.chantalfs " /proc/mounts
assert_eq $'repos\nviews' "$(ls "$mnt")"
daemon=
for process in /proc/[0-9]*; do
  [[ $(readlink "$process/exe" 2>/dev/null) == "$prefix/bin/chantalfs" ]] && daemon=${process#/proc/}
done
[[ -n $daemon ]] || fail "the mounted daemon is not $prefix/bin/chantalfs"
assert_exit 0 fusermount3 -u "$mnt"
wait_until 10 bash -c "! kill -0 $daemon 2>/dev/null"

# mount(8) itself, with the installed fstab example's line (config and mount
# point swapped for scratch ones): in a private mount namespace whose /sbin
# also holds the installed helper and whose /etc/fstab is that line. Without
# the helper, /sbin/mount.fuse would look for chantalfs on this PATH, which
# does not have it.
fstab_line=$(grep -E '^/etc/chantal/config.yaml +/srv/mirror +fuse.chantalfs ' \
  "$prefix/share/doc/chantal/examples/fstab.example")
printf '%s\n' "${fstab_line/\/etc\/chantal\/config.yaml  \/srv\/mirror/$cfg  $mnt}" >"$SCRATCH/fstab"
assert_contains "$(<"$SCRATCH/fstab")" "$cfg  $mnt  fuse.chantalfs  ro,allow_other"
mkdir -p "$SCRATCH/sbin/upper" "$SCRATCH/sbin/work"
cp "$prefix/sbin/mount.fuse.chantalfs" "$SCRATCH/sbin/upper/"
cat >"$SCRATCH/mount-by-fstab.sh" <<SCRIPT
set -euo pipefail
trap 'umount -l "$mnt" 2>/dev/null || true' EXIT
mount -t overlay overlay -o lowerdir=/usr/sbin,upperdir="$SCRATCH/sbin/upper",workdir="$SCRATCH/sbin/work" /usr/sbin
mount --bind "$SCRATCH/fstab" /etc/fstab
mount "$mnt"
timeout 10 bash -c 'until grep -q " $mnt fuse.chantalfs " /proc/self/mounts; do sleep 0.1; done'
ls "$mnt"
umount "$mnt"
SCRIPT
assert_exit 0 env PATH=/usr/bin:/bin unshare -m --propagation private bash "$SCRATCH/mount-by-fstab.sh"
assert_eq $'repos\nviews' "$ASSERT_OUT" "the tree mounted from the fstab line"

# ---- 3. the installed bash completion
completion=$prefix/share/bash-completion/completions/chantal
# completions_for WORD...: COMPREPLY, one per line, for the command line WORD... (the
# last word is the one being completed), as bash's programmable completion calls it.
completions_for() {
  bash --norc --noprofile -c '
    source "$1" || exit 1
    shift
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    function=$(complete -p chantal | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
    "$function" chantal "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
    printf "%s\n" "${COMPREPLY[@]}"' completions_for "$completion" "$@"
}
assert_eq repo "$(completions_for chantal re)"
assert_contains "$(completions_for chantal repo '')" sync
assert_eq $'table\njson' "$(completions_for chantal --format '')"
assert_eq $'table\njson' "$(completions_for chantal repo list --format '')"
assert_eq check "$(completions_for chantal config '')"
assert_eq bash "$(completions_for chantal completion '')"
options=$(completions_for chantal repo sync --)
for option in --repo-id --all --workers --config --format; do assert_contains "$options" "$option"; done
assert_eq "$cfg" "$(cd / && completions_for chantal --config "$SCRATCH/conf")"
assert_eq --workers "$(completions_for chantal --format table repo sync --repo-id x --work)"
