#!/usr/bin/env python3
"""A tiny HTTP forward proxy for sync tests.

Listens on 127.0.0.1 (port written to --port-file), accepts absolute-URI
requests ("GET http://host:port/path HTTP/1.1") with keep-alive, forwards them
to the target and streams the answer back; https:// targets come as
"CONNECT host:port", answered with a byte-for-byte tunnel (the proxy never
sees inside the TLS session, as with a real corporate proxy). With
--user NAME:PASSWORD every request must carry "Proxy-Authorization: Basic ..."
for those credentials, else it gets 407. Each request is logged to --log as
one line:
    <METHOD> <absolute URL or host:port> auth=<ok|missing|wrong>
The log never holds the credentials themselves.
"""
import argparse
import base64
import http.client
import http.server
import select
import socket
import socketserver
import threading
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    expected_auth = None
    log_file = None
    log_lock = threading.Lock()

    def log_message(self, *args):  # quiet: our own log is the record
        pass

    def record(self, auth):
        with self.log_lock, open(self.log_file, "a") as log:
            log.write("%s %s auth=%s\n" % (self.command, self.path, auth))

    def auth_state(self):
        given = self.headers.get("Proxy-Authorization")
        if given is None:
            return "missing"
        if self.expected_auth is None or given == self.expected_auth:
            return "ok"
        return "wrong"

    def refuse(self, status, reason, extra=()):
        body = reason.encode()
        self.send_response(status, reason)
        for name, value in extra:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def forward(self):
        auth = self.auth_state()
        self.record(auth)
        if self.expected_auth is not None and auth != "ok":
            self.refuse(407, "Proxy Authentication Required", [("Proxy-Authenticate", 'Basic realm="proxy"')])
            return
        target = urllib.parse.urlsplit(self.path)
        if target.scheme != "http" or not target.hostname:
            self.refuse(400, "absolute http:// URL required")
            return
        upstream = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
        path = target.path or "/"
        if target.query:
            path += "?" + target.query
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("proxy-authorization", "proxy-connection", "connection", "host")}
        headers["Host"] = target.netloc
        upstream.request(self.command, path, headers=headers)
        response = upstream.getresponse()
        body = response.read()
        self.send_response(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in ("connection", "keep-alive", "transfer-encoding", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        upstream.close()

    do_GET = forward
    do_HEAD = forward

    def do_CONNECT(self):
        auth = self.auth_state()
        self.record(auth)
        if self.expected_auth is not None and auth != "ok":
            self.refuse(407, "Proxy Authentication Required", [("Proxy-Authenticate", 'Basic realm="proxy"')])
            return
        host, _, port = self.path.rpartition(":")
        try:
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=30)
        except (OSError, ValueError):
            self.refuse(502, "Bad Gateway")
            return
        self.send_response(200, "Connection Established")
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        client = self.connection
        with upstream:
            while True:
                readable, _, _ = select.select([client, upstream], [], [], 60)
                if not readable:
                    return
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    (upstream if source is client else client).sendall(data)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--user", help="NAME:PASSWORD the clients must send")
    options = parser.parse_args()
    Handler.log_file = options.log
    if options.user:
        Handler.expected_auth = "Basic " + base64.b64encode(options.user.encode()).decode()
    open(options.log, "a").close()
    socketserver.TCPServer.allow_reuse_address = True
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(options.port_file + ".tmp", "w") as port_file:
        port_file.write("%d\n" % server.server_address[1])
    import os
    os.rename(options.port_file + ".tmp", options.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
