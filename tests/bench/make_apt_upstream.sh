#!/usr/bin/env bash
# make_apt_upstream.sh DIR COUNT: a local APT archive for scripts/bench-apt:
# COUNT tiny .debs built with dpkg-deb (COUNT/4 names, 4 versions each, with
# epochs and ~ in some; amd64 and all) under DIR/pool/main in Debian's pool
# layout, dists/stable/main/binary-amd64/Packages{,.gz,.xz} by
# apt-ftparchive, and an unsigned dists/stable/Release. Deterministic
# content; built into DIR.tmp and renamed.
set -euo pipefail
dir=$1
count=$2
for tool in dpkg-deb apt-ftparchive gzip xz; do
  command -v "$tool" >/dev/null || { echo "make_apt_upstream: needs $tool" >&2; exit 2; }
done
tmp=$dir.tmp
rm -rf "$tmp"
mkdir -p "$tmp/src" "$tmp/dists/stable/main/binary-amd64"
names=$(( (count + 3) / 4 ))
# One package source directory per deb, then dpkg-deb on 2 cores.
python3 - "$tmp" "$count" "$names" <<'PY'
import os, sys
tmp, count, names = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
versions = ["1.0-1", "1.0-2", "1:0.9~rc1-1", "2.0~beta3+dfsg-1"]
with open(os.path.join(tmp, "jobs"), "w") as jobs:
    for i in range(count):
        n, v = i // 4, versions[i % 4]
        name = ("libbench%04d" if n % 3 == 0 else "bench-pkg%04d") % n
        arch = "all" if n % 7 == 0 else "amd64"
        prefix = name[:4] if name.startswith("lib") else name[0]
        src = os.path.join(tmp, "src", "%s_%d" % (name, i % 4))
        os.makedirs(os.path.join(src, "DEBIAN"))
        os.makedirs(os.path.join(src, "usr/share/doc", name))
        with open(os.path.join(src, "DEBIAN/control"), "w") as f:
            f.write("Package: %s\nVersion: %s\nArchitecture: %s\nMaintainer: Bench <bench@example.invalid>\n"
                    "Installed-Size: 4\nSection: misc\nPriority: optional\n" % (name, v, arch))
            if n > 0:
                f.write("Depends: bench-pkg%04d (>= 1.0)\n" % (n - 1))
            f.write("Description: benchmark package %d\n a tiny package for scripts/bench-apt.\n" % i)
        with open(os.path.join(src, "usr/share/doc", name, "README"), "w") as f:
            f.write("%s %s\n" % (name, v) * 8)
        out = os.path.join(tmp, "pool/main", prefix, name)
        os.makedirs(out, exist_ok=True)
        jobs.write("%s %s/%s_%s_%s.deb\n" % (src, out, name, v.split(":", 1)[-1], arch))
PY
export SOURCE_DATE_EPOCH=1700000000
xargs -P "$(nproc)" -n 2 dpkg-deb --root-owner-group -Zgzip --build <"$tmp/jobs" >/dev/null
rm -rf "$tmp/src" "$tmp/jobs"
(
  cd "$tmp"
  apt-ftparchive packages pool/main >dists/stable/main/binary-amd64/Packages 2>/dev/null
  gzip -9n -k dists/stable/main/binary-amd64/Packages
  xz -k dists/stable/main/binary-amd64/Packages
  apt-ftparchive -o APT::FTPArchive::Release::Origin=Bench -o APT::FTPArchive::Release::Suite=stable \
    -o APT::FTPArchive::Release::Codename=stable -o APT::FTPArchive::Release::Architectures=amd64 \
    -o APT::FTPArchive::Release::Components=main -o APT::FTPArchive::Release::Date="Tue, 14 Nov 2023 22:13:20 UTC" \
    release dists/stable >Release.tmp
  mv Release.tmp dists/stable/Release
)
rm -rf "$dir"
mv "$tmp" "$dir"
