#!/usr/bin/env python3
"""A small HTTP server that misbehaves on request, for download tests.

Serves the files under --root on 127.0.0.1 only (never another address),
with HTTP/1.1 keep-alive and Range support (206 / 416). The chosen port is
printed as the first line of stdout (and written to --port-file if given).

URL grammar:
  /<path>                  the file <root>/<path>, served correctly
  /fault/<MODE>/<path>     the same file with a fault injected
  /_stats                  JSON: {"<decoded path>": {"requests": N,
                           "range_requests": N, "ranges": ["bytes=10-", ...]}}
                           for every path requested so far (query strings are
                           ignored everywhere)
  /_reset                  forget all counters

MODE is FAULT (every request) or FAULTxN (the first N requests to that URL
path, then served correctly). FAULT is one of:
  404, 500, 429      that HTTP status (429 with "Retry-After: 0")
  close              headers and half the body, then the connection is closed
  stall              headers and half the body, then silence for --stall-seconds
  corrupt            the right length, but one byte flipped
  slow               the body trickled at --trickle-rate bytes per second
  norange            the Range header is ignored: always 200 with the whole file
  tofile             a 302 redirect to file://<root>/<path> (scheme switch)

With --tls-cert/--tls-key it speaks HTTPS instead (HTTP/1.1 via ALPN); with
--client-ca it also demands a client certificate signed by that CA.

The process exits on SIGTERM/SIGINT at once (a stalled handler does not
delay it). Python 3 standard library only.
"""

import argparse
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULTS = {"404", "500", "429", "close", "stall", "corrupt", "slow", "norange", "tofile"}


class Stats:
    """Per-path request counters, shared by the handler threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._paths = {}

    def record(self, path, range_header):
        """Counts one request; returns how many requests the path has had, this one included."""
        with self._lock:
            entry = self._paths.setdefault(path, {"requests": 0, "range_requests": 0, "ranges": []})
            entry["requests"] += 1
            if range_header:
                entry["range_requests"] += 1
                entry["ranges"].append(range_header)
            return entry["requests"]

    def snapshot(self):
        with self._lock:
            return json.loads(json.dumps(self._paths))

    def reset(self):
        with self._lock:
            self._paths.clear()


def parse_fault(path):
    """Splits '/fault/MODE/rest' into (fault, limit or None, '/rest'); plain paths give (None, None, path)."""
    parts = path.split("/", 3)
    if len(parts) < 4 or parts[1] != "fault":
        return None, None, path
    mode, rest = parts[2], "/" + parts[3]
    fault, _, count = mode.partition("x")
    if fault not in FAULTS or (count and not count.isdigit()):
        return "bad", None, rest
    return fault, int(count) if count else None, rest


def parse_range(header, size):
    """Returns (start, end_inclusive) for 'bytes=A-' / 'bytes=A-B', 'unsatisfiable', or None (ignore)."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    first, _, last = header[len("bytes="):].partition("-")
    if not first.isdigit() or (last and not last.isdigit()):
        return None
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return "unsatisfiable"
    return start, end


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault_http_server"

    def log_message(self, format, *args):  # quiet: tests read stdout for the port only
        pass

    def do_HEAD(self):
        self.respond(send_body=False)

    def do_GET(self):
        self.respond(send_body=True)

    def send_simple(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def respond(self, send_body):
        raw_path = urllib.parse.urlsplit(self.path).path
        path = urllib.parse.unquote(raw_path)
        if path == "/_stats":
            self.send_simple(200, json.dumps(self.server.stats.snapshot()).encode(),
                             [("Content-Type", "application/json")])
            return
        if path == "/_reset":
            self.server.stats.reset()
            self.send_simple(200, b"reset\n")
            return

        range_header = self.headers.get("Range")
        count = self.server.stats.record(path, range_header)
        fault, limit, file_path = parse_fault(path)
        if fault == "bad":
            self.send_simple(400, b"unknown fault mode\n")
            return
        if fault is not None and limit is not None and count > limit:
            fault = None

        local = os.path.realpath(os.path.join(self.server.root, file_path.lstrip("/")))
        if not local.startswith(self.server.root + os.sep) or not os.path.isfile(local):
            self.send_simple(404, b"not found\n")
            return
        if fault == "404":
            self.send_simple(404, b"not found (injected)\n")
            return
        if fault == "500":
            self.send_simple(500, b"internal error (injected)\n")
            return
        if fault == "429":
            self.send_simple(429, b"too many requests (injected)\n", [("Retry-After", "0")])
            return
        if fault == "tofile":
            self.send_simple(302, b"", [("Location", "file://" + urllib.parse.quote(local))])
            return

        with open(local, "rb") as f:
            data = f.read()
        size = len(data)
        if fault == "corrupt" and size > 0:
            middle = size // 2
            data = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]

        wanted = None if fault == "norange" else parse_range(range_header, size)
        if wanted == "unsatisfiable":
            self.send_simple(416, b"", [("Content-Range", "bytes */%d" % size)])
            return
        if wanted is None:
            status, start, end = 200, 0, size - 1
        else:
            status, (start, end) = 206, wanted
        body = data[start:end + 1]

        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "none" if fault == "norange" else "bytes")
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
        self.end_headers()
        if not send_body:
            return

        if fault in ("close", "stall"):
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            if fault == "stall":
                time.sleep(self.server.stall_seconds)
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if fault == "slow":
            chunk = max(1, self.server.trickle_rate // 10)
            for offset in range(0, len(body), chunk):
                self.wfile.write(body[offset:offset + chunk])
                self.wfile.flush()
                time.sleep(0.1)
            return
        self.wfile.write(body)

    def setup(self):
        if self.server.tls:
            self.request.settimeout(10)
            self.request.do_handshake()  # in this thread, so a slow client blocks nobody
            self.request.settimeout(None)
        super().setup()

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. it timed out a stall): expected


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # parallel clients must not overflow the listen backlog
    tls = False

    def handle_error(self, request, client_address):
        pass  # failed TLS handshakes and resets are part of the tests


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", required=True, help="directory to serve")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--port-file", help="also write the port to this file")
    parser.add_argument("--stall-seconds", type=float, default=30.0, help="how long a stall lasts")
    parser.add_argument("--trickle-rate", type=int, default=10240, help="bytes per second for 'slow'")
    parser.add_argument("--tls-cert", help="PEM server certificate: serve HTTPS")
    parser.add_argument("--tls-key", help="PEM key of --tls-cert")
    parser.add_argument("--client-ca", help="PEM CA: require client certificates it signed")
    args = parser.parse_args()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: os._exit(0))

    server = Server(("127.0.0.1", args.port), Handler)
    server.root = os.path.realpath(args.root)
    server.stats = Stats()
    server.stall_seconds = args.stall_seconds
    server.trickle_rate = args.trickle_rate
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        context.set_alpn_protocols(["http/1.1"])
        if args.client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(args.client_ca)
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        server.tls = True
    port = server.server_address[1]
    if args.port_file:
        temp = args.port_file + ".tmp"
        with open(temp, "w") as f:
            f.write("%d\n" % port)
        os.rename(temp, args.port_file)
    sys.stdout.write("%d\n" % port)
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
