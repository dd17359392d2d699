#!/usr/bin/env python3
"""A loopback HTTP proxy in front of a real registry, for failure tests.

Usage: registry_proxy.py LISTEN_PORT UPSTREAM_PORT LOG_FILE CUT_FILE
- every request's method and path is appended to LOG_FILE (so tests can count blob downloads);
- while CUT_FILE exists, responses to blob GETs are cut after half the body (connection closed).
Each response closes the connection, so framing stays simple.
"""
import os
import signal
import socket
import sys
import threading

# Swift's Process passes on the test runner's blocked signal mask: unblock SIGTERM so the test can stop us.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})

listen_port, upstream_port, log_file, cut_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]


def read_head(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    return head, rest


def handle(client):
    try:
        head, rest = read_head(client)
        if head is None:
            return
        lines = head.split(b"\r\n")
        method, path = lines[0].split(b" ")[:2]
        with open(log_file, "a") as f:
            f.write(f"{method.decode()} {path.decode()}\n")
        headers = [l for l in lines[1:] if not l.lower().startswith(b"connection:")]
        upstream = socket.create_connection(("127.0.0.1", upstream_port))
        upstream.sendall(b"\r\n".join([lines[0]] + headers + [b"Connection: close", b"", b""]) + rest)
        response = b""
        while True:
            chunk = upstream.recv(1 << 20)
            if not chunk:
                break
            response += chunk
        upstream.close()
        rhead, body = response.split(b"\r\n\r\n", 1) if b"\r\n\r\n" in response else (response, b"")
        rlines = [l for l in rhead.split(b"\r\n") if not l.lower().startswith(b"connection:")]
        rhead = b"\r\n".join(rlines + [b"Connection: close"])
        if method == b"GET" and b"/blobs/" in path and os.path.exists(cut_file) and len(body) > 1024:
            client.sendall(rhead + b"\r\n\r\n" + body[: len(body) // 2])
            client.shutdown(socket.SHUT_RDWR)
            return
        client.sendall(rhead + b"\r\n\r\n" + body)
    except OSError:
        pass
    finally:
        client.close()


server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", listen_port))
server.listen(64)
print("ready", flush=True)
while True:
    conn, _ = server.accept()
    threading.Thread(target=handle, args=(conn,), daemon=True).start()
