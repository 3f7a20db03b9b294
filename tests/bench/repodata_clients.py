#!/usr/bin/env python3
"""dnf-like load on a mirror: each client thread reads repomd.xml, then fetches
every file it names (what a client that just refreshed its metadata does),
over and over until STOP_FILE exists. A fetch of a named file that does not
answer 200 with the size repomd.xml declares is a miss.

usage: repodata_clients.py BASE_URL CLIENTS STOP_FILE
prints one line: "requests=N misses=M" (details of misses on stderr)."""
import re
import sys
import threading
import time
import urllib.error
import urllib.request

base, clients, stop_file = sys.argv[1].rstrip("/"), int(sys.argv[2]), sys.argv[3]
lock = threading.Lock()
totals = {"requests": 0, "misses": 0}
DATA = re.compile(r'<data type="[^"]*">(.*?)</data>', re.S)
HREF = re.compile(r'<location href="([^"]+)"')
SIZE = re.compile(r"<size>(\d+)</size>")


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


def stopped():
    try:
        open(stop_file).close()
        return True
    except OSError:
        return False


def client():
    while not stopped():
        try:
            status, repomd = fetch(base + "/repodata/repomd.xml")
        except (urllib.error.URLError, OSError):
            continue  # repomd.xml itself: not a miss of a named file
        entries = []
        for block in DATA.findall(repomd.decode()):
            href, size = HREF.search(block), SIZE.search(block)
            if href:
                entries.append((href.group(1), int(size.group(1)) if size else None))
        for href, size in entries:
            ok, detail = False, ""
            try:
                status, body = fetch(base + "/" + href)
                ok = status == 200 and (size is None or len(body) == size)
                detail = f"status {status}, {len(body)} bytes"
            except urllib.error.HTTPError as error:
                detail = f"HTTP {error.code}"
            except (urllib.error.URLError, OSError) as error:
                detail = str(error)
            with lock:
                totals["requests"] += 1
                if not ok:
                    totals["misses"] += 1
                    print(f"miss: {href}: {detail}", file=sys.stderr)


threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"requests={totals['requests']} misses={totals['misses']}")
