#!/usr/bin/env python3
"""Deterministic synthetic APT Packages stanzas for scripts/bench-apt.

  generate_apt_packages.py COUNT [SEED]    writes COUNT stanzas to stdout

Stanzas look like Debian's binary-amd64 Packages: Package, Source (some),
Version (epochs, ~rc, +dfsg, Debian revisions), Architecture (amd64, ~15%
all), Maintainer, Installed-Size, Depends (versioned, alternatives),
Recommends (some), Section, Priority, Homepage, Description (a summary and a
few wrapped lines, ' .' paragraph breaks), Description-md5, Filename under
pool/main/<prefix>/<source>/, Size, MD5sum, SHA256. Sorted by Package like
apt-ftparchive's output. About 1 KiB a stanza.
"""
import hashlib
import random
import sys

WORDS = (
    "library tool data utility common runtime development files for the and with support "
    "network server client protocol python perl module bindings shared documentation "
    "compression image audio video graphics terminal console daemon plugin framework "
    "cryptography parser format extension interface system kernel driver filesystem "
    "database engine toolkit command line interpreter compiler debugger simple fast "
    "portable small lightweight extensible modular secure standard implementation"
).split()
SECTIONS = ["libs", "utils", "devel", "admin", "net", "python", "perl", "web", "text", "misc",
            "graphics", "sound", "video", "x11", "doc", "science", "math", "editors", "shells"]
PRIORITIES = ["optional"] * 12 + ["standard", "important", "extra"]
MAINTAINERS = ["Debian %s Team <pkg-%s@lists.debian.org>" % (w.title(), w) for w in WORDS[:30]] + \
    ["Jane Developer%d <jane%d@example.org>" % (i, i) for i in range(40)]


def pool_prefix(source):
    return source[:4] if source.startswith("lib") and len(source) > 3 else source[0]


def sentence(rng, low, high):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def version(rng):
    upstream = "%d.%d" % (rng.randint(0, 9), rng.randint(0, 40))
    if rng.random() < 0.5:
        upstream += ".%d" % rng.randint(0, 20)
    roll = rng.random()
    if roll < 0.08:
        upstream += "~rc%d" % rng.randint(1, 4)
    elif roll < 0.15:
        upstream += "+dfsg"
    elif roll < 0.2:
        upstream += "~git20%02d%02d%02d" % (rng.randint(18, 25), rng.randint(1, 12), rng.randint(1, 28))
    text = upstream + "-%d" % rng.randint(1, 6)
    if rng.random() < 0.1:
        text += "+deb12u%d" % rng.randint(1, 3)
    if rng.random() < 0.12:
        text = "%d:%s" % (rng.randint(1, 3), text)
    return text


def main():
    count = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 20260101)
    names = set()
    while len(names) < count:
        stem = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
        suffix = rng.choice(["", "", "", "-dev", "-doc", "-common", "-utils", "-data", "%d" % rng.randint(0, 9)])
        prefix = "lib" if rng.random() < 0.3 else ""
        names.add(prefix + stem + suffix)
    names = sorted(names)
    out = sys.stdout
    for name in names:
        source = name.split("-")[0] if rng.random() < 0.4 else name
        ver = version(rng)
        arch = "all" if rng.random() < 0.15 else "amd64"
        size = rng.randint(2_000, 4_000_000)
        file_version = ver.split(":", 1)[-1]
        filename = "pool/main/%s/%s/%s_%s_%s.deb" % (pool_prefix(source), source, name, file_version, arch)
        digest_seed = ("%s %s" % (name, ver)).encode()
        lines = ["Package: " + name]
        if source != name:
            lines.append("Source: " + source)
        lines += [
            "Version: " + ver,
            "Installed-Size: %d" % (size // 1024 * rng.randint(2, 4) + 8),
            "Maintainer: " + rng.choice(MAINTAINERS),
            "Architecture: " + arch,
        ]
        deps = []
        for _ in range(rng.randint(0, 7)):
            dep = rng.choice(names)
            if rng.random() < 0.4:
                dep += " (>= %s)" % version(rng)
            if rng.random() < 0.1:
                dep += " | " + rng.choice(names)
            deps.append(dep)
        if deps:
            lines.append("Depends: " + ", ".join(deps))
        if rng.random() < 0.3:
            lines.append("Recommends: " + ", ".join(rng.choice(names) for _ in range(rng.randint(1, 3))))
        summary = sentence(rng, 3, 8)
        body = []
        for paragraph in range(rng.randint(1, 3)):
            if paragraph:
                body.append(" .")
            for _ in range(rng.randint(1, 4)):
                body.append(" " + sentence(rng, 8, 12))
        lines.append("Description: " + summary)
        lines += body
        lines += [
            "Homepage: https://%s.example.org/" % source,
            "Description-md5: " + hashlib.md5(summary.encode()).hexdigest(),
            "Section: " + rng.choice(SECTIONS),
            "Priority: " + rng.choice(PRIORITIES),
            "Filename: " + filename,
            "Size: %d" % size,
            "MD5sum: " + hashlib.md5(digest_seed).hexdigest(),
            "SHA256: " + hashlib.sha256(digest_seed).hexdigest(),
        ]
        out.write("\n".join(lines))
        out.write("\n\n")


if __name__ == "__main__":
    main()
