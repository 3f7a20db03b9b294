#!/usr/bin/env python3
"""Writes a synthetic repository's metadata for scripts/bench-metadata (tests/bench/metadata_bench.cpp reads it).

usage: generate_metadata_repo.py OUTDIR [PACKAGES]

OUTDIR/repodata/{primary,filelists,other}.xml.gz and repomd.xml, in
createrepo_c's layout, with realistic per-package sizes: 10-40 requires,
5-25 provides, a few conflicts/obsoletes, ~50 files (a few directories) and
1-5 changelog entries. Deterministic (fixed seed). The .gz files are made by
`gzip -6` (the three run in parallel while Python feeds them).
"""
import hashlib
import os
import random
import subprocess
import sys
import time

WORDS = ("lib core util data net http xml json python perl ruby kernel gtk qt "
         "devel common tools doc server client plugin module firmware fonts "
         "sound video image crypto ssl zlib bz2 lzma ssh git vim emacs rust go "
         "java node boost cmake glib dbus systemd udev selinux audit pam krb5").split()
ARCHES = ["x86_64"] * 6 + ["noarch"] * 3 + ["i686"]
FLAGS = ["EQ", "GE", "LE", "LT", "GT"]


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    rng = random.Random(20240601)
    repodata = os.path.join(out, "repodata")
    os.makedirs(repodata, exist_ok=True)
    started = time.time()

    names = []
    seen = set()
    while len(names) < count:
        name = "-".join(rng.choices(WORDS, k=rng.randint(1, 3))) + str(rng.randint(0, 999))
        if name not in seen:
            seen.add(name)
            names.append(name)
    capabilities = ["%s.so.%d()(64bit)" % ("lib" + rng.choice(WORDS) + str(i), rng.randint(0, 9)) for i in range(6000)]
    capabilities += ["perl(%s::%s)" % (rng.choice(WORDS).title(), rng.choice(WORDS).title()) for _ in range(2000)]
    capabilities += ["python3.12dist(%s)" % rng.choice(names) for _ in range(2000)]
    dirs = ["/usr/%s/%s" % (rng.choice(["bin", "lib64", "share", "include", "libexec", "share/doc"]),
                            rng.choice(names)) for _ in range(20000)]

    def gzip_process(kind):
        f = open(os.path.join(repodata, kind + ".xml.gz"), "wb")
        return subprocess.Popen(["gzip", "-6", "-n"], stdin=subprocess.PIPE, stdout=f, bufsize=1 << 20), f

    procs = {kind: gzip_process(kind) for kind in ("primary", "filelists", "other")}
    primary, filelists, other = (procs[k][0].stdin for k in ("primary", "filelists", "other"))
    primary.write(('<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://linux.duke.edu/metadata/common" '
                   'xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="%d">\n' % count).encode())
    filelists.write(('<?xml version="1.0" encoding="UTF-8"?>\n<filelists xmlns="http://linux.duke.edu/metadata/filelists" '
                     'packages="%d">\n' % count).encode())
    other.write(('<?xml version="1.0" encoding="UTF-8"?>\n<otherdata xmlns="http://linux.duke.edu/metadata/other" '
                 'packages="%d">\n' % count).encode())

    p_parts, f_parts, o_parts = [], [], []
    for i, name in enumerate(names):
        arch = rng.choice(ARCHES)
        ver = "%d.%d.%d" % (rng.randint(0, 20), rng.randint(0, 30), rng.randint(0, 99))
        rel = "%d.fc40" % rng.randint(1, 30)
        pkgid = hashlib.sha256(name.encode()).hexdigest()
        nevra_file = "%s-%s-%s.%s.rpm" % (name, ver, rel, arch)
        words = " ".join(rng.choices(WORDS, k=rng.randint(4, 10)))
        description = " ".join(rng.choices(WORDS, k=rng.randint(20, 80)))
        build = 1700000000 + rng.randint(0, 30000000)
        psize = rng.randint(5000, 5000000)
        hstart = 4504
        ver_attrs = 'epoch="0" ver="%s" rel="%s"' % (ver, rel)
        provides = ['<rpm:entry name="%s" flags="EQ" %s/>' % (name, ver_attrs)]
        if arch != "noarch":
            provides.append('<rpm:entry name="%s(x86-64)" flags="EQ" %s/>' % (name, ver_attrs))
        provides += ['<rpm:entry name="%s"/>' % esc(c) for c in rng.choices(capabilities, k=rng.randint(3, 23))]
        requires = []
        for cap in rng.choices(capabilities, k=rng.randint(5, 25)):
            requires.append('<rpm:entry name="%s"/>' % esc(cap))
        for dep in rng.choices(names, k=rng.randint(3, 15)):
            if rng.random() < 0.5:
                requires.append('<rpm:entry name="%s" flags="%s" epoch="0" ver="%d.%d"/>'
                                % (dep, rng.choice(FLAGS), rng.randint(0, 9), rng.randint(0, 9)))
            else:
                requires.append('<rpm:entry name="%s"/>' % dep)
        requires.append('<rpm:entry name="/bin/sh" pre="1"/>')
        base = rng.choice(dirs)
        nfiles = rng.randint(30, 70)
        files = ["%s/%s%d.%s" % (base if rng.random() < 0.7 else rng.choice(dirs), rng.choice(WORDS), j,
                                 rng.choice(["so", "h", "py", "pm", "txt", "html", "png", "conf", "1.gz"]))
                 for j in range(nfiles)]
        files.sort()
        primary_files = [f for f in files if f.startswith(("/usr/bin/", "/etc/"))]
        p_parts.append(
            '<package type="rpm">\n  <name>%s</name>\n  <arch>%s</arch>\n  <version %s/>\n'
            '  <checksum type="sha256" pkgid="YES">%s</checksum>\n  <summary>%s</summary>\n'
            '  <description>%s</description>\n  <packager>Fedora Project</packager>\n'
            '  <url>https://example.org/%s</url>\n  <time file="%d" build="%d"/>\n'
            '  <size package="%d" installed="%d" archive="%d"/>\n  <location href="Packages/%s/%s"/>\n'
            '  <format>\n    <rpm:license>MIT AND (GPL-2.0-or-later OR BSD-3-Clause)</rpm:license>\n'
            '    <rpm:vendor>Fedora Project</rpm:vendor>\n    <rpm:group>Unspecified</rpm:group>\n'
            '    <rpm:buildhost>buildhw-x86-%02d.iad2.fedoraproject.org</rpm:buildhost>\n'
            '    <rpm:sourcerpm>%s-%s-%s.src.rpm</rpm:sourcerpm>\n    <rpm:header-range start="%d" end="%d"/>\n'
            '    <rpm:provides>\n      %s\n    </rpm:provides>\n    <rpm:requires>\n      %s\n    </rpm:requires>\n'
            '%s  </format>\n</package>\n'
            % (name, arch, ver_attrs, pkgid, words, description, name, build + 100, build, psize, psize * 3,
               psize * 3 + 1000, name[0], nevra_file, rng.randint(1, 16), name, ver, rel, hstart,
               hstart + rng.randint(2000, 60000), "\n      ".join(provides), "\n      ".join(requires),
               "".join("    <file>%s</file>\n" % f for f in primary_files)))
        header = '<package pkgid="%s" name="%s" arch="%s">\n  <version %s/>\n' % (pkgid, name, arch, ver_attrs)
        f_parts.append(header + '  <file type="dir">%s</file>\n' % base +
                       "".join("  <file>%s</file>\n" % f for f in files) + "</package>\n")
        changes = "".join(
            '  <changelog author="%s &lt;%s@example.org&gt; - %s-%s" date="%d">- %s</changelog>\n'
            % (rng.choice(WORDS).title(), rng.choice(WORDS), ver, rel, build - k * 86400 * 30,
               " ".join(rng.choices(WORDS, k=rng.randint(4, 25))))
            for k in range(rng.randint(1, 5)))
        o_parts.append(header + changes + "</package>\n")
        if len(p_parts) == 2000:
            primary.write("".join(p_parts).encode())
            filelists.write("".join(f_parts).encode())
            other.write("".join(o_parts).encode())
            p_parts, f_parts, o_parts = [], [], []
    primary.write(("".join(p_parts) + "</metadata>\n").encode())
    filelists.write(("".join(f_parts) + "</filelists>\n").encode())
    other.write(("".join(o_parts) + "</otherdata>\n").encode())
    for proc, f in procs.values():
        proc.stdin.close()
        if proc.wait() != 0:
            sys.exit("gzip failed")
        f.close()

    records = []
    for kind in ("primary", "filelists", "other"):
        path = os.path.join(repodata, kind + ".xml.gz")
        data = open(path, "rb").read()
        records.append('  <data type="%s">\n    <checksum type="sha256">%s</checksum>\n'
                       '    <location href="repodata/%s.xml.gz"/>\n    <size>%d</size>\n  </data>\n'
                       % (kind, hashlib.sha256(data).hexdigest(), kind, len(data)))
    with open(os.path.join(repodata, "repomd.xml"), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<repomd xmlns="http://linux.duke.edu/metadata/repo">\n'
                '  <revision>1</revision>\n%s</repomd>\n' % "".join(records))
    print("generated %d packages in %.1f s" % (count, time.time() - started), file=sys.stderr)


if __name__ == "__main__":
    main()
