#!/usr/bin/env python3
"""Serves a feeds mirror (a directory laid out like shared/data/feeds) on 127.0.0.1, for
`vigil db update --from http://…` tests.

Usage: feed_server.py DIR PORT_FILE [--cut SUFFIX] [--delay SECONDS]
- binds 127.0.0.1 on a free port and writes that port to PORT_FILE once listening;
- directories are served as HTML indexes (http.server's own), files with Content-Length;
- --cut SUFFIX: a file whose path ends with SUFFIX is announced whole but only half of it is
  sent before the connection is closed (a server dying mid-transfer);
- --delay SECONDS: each file response waits this long first (to stretch a download).
"""
import argparse
import functools
import os
import signal
import socket
import sys
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

# Swift's Process passes on the test runner's blocked signal mask: unblock SIGTERM so the test can stop us.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})

parser = argparse.ArgumentParser()
parser.add_argument("directory")
parser.add_argument("port_file")
parser.add_argument("--cut", default=None)
parser.add_argument("--delay", type=float, default=0.0)
args = parser.parse_args()


class Handler(SimpleHTTPRequestHandler):
    def log_message(self, format, *a):
        pass

    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isfile(path):
            if args.delay:
                time.sleep(args.delay)
            if args.cut and self.path.split("?", 1)[0].endswith(args.cut):
                with open(path, "rb") as f:
                    data = f.read()
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
        super().do_GET()


server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=args.directory))
server.daemon_threads = True
tmp = args.port_file + ".tmp"
with open(tmp, "w") as f:
    f.write(str(server.server_address[1]))
os.rename(tmp, args.port_file)
try:
    server.serve_forever()
except KeyboardInterrupt:
    pass
sys.exit(0)
