#!/usr/bin/env python3
"""Receives what `vigil watch` sends: webhook POSTs on 127.0.0.1:PORT (http) or syslog datagrams on a
unix socket (syslog). Writes one line per message to OUT and prints READY when listening.
Usage: alert_sink.py http PORT OUT | alert_sink.py syslog SOCKET_PATH OUT"""
import http.server, os, socket, sys

mode, where, out = sys.argv[1], sys.argv[2], sys.argv[3]

if mode == "http":
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with open(out, "ab") as f:
                f.write(self.command.encode() + b" " + self.path.encode() + b" "
                        + self.headers.get("Content-Type", "").encode() + b" " + body + b"\n")
            self.send_response(200)
            self.end_headers()
        def log_message(self, *args):
            pass
    server = http.server.HTTPServer(("127.0.0.1", int(where)), Handler)
    print("READY", flush=True)
    server.serve_forever()
else:
    if os.path.exists(where):
        os.unlink(where)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(where)
    print("READY", flush=True)
    while True:
        data = s.recv(65536)
        with open(out, "ab") as f:
            f.write(data.rstrip(b"\0") + b"\n")
