#!/usr/bin/env python3
"""Writes N synthetic, mixed Vigil events (JSON lines) for the rules benchmark.

Deterministic (seeded). About 2,000 live processes across host and 20 containers; the mix is
roughly 35% opens, 20% reads/writes/closes, 12% execs, 8% clones, 8% exits, 8% connects,
5% renames/unlinks/mkdirs and 4% other syscalls. One event in ~20,000 is an attack.
"""
import json
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
rnd = random.Random(42)
containers = [("%012x" % rnd.getrandbits(48), "svc%d" % i, "registry.local/app%d:1.%d" % (i, i)) for i in range(20)]
binaries = [("nginx", "/usr/sbin/nginx"), ("python3", "/usr/bin/python3"), ("node", "/usr/local/bin/node"),
            ("java", "/opt/java/bin/java"), ("postgres", "/usr/lib/postgresql/15/bin/postgres"),
            ("redis-server", "/usr/bin/redis-server"), ("curl", "/usr/bin/curl"), ("ls", "/bin/ls"),
            ("grep", "/bin/grep"), ("gzip", "/bin/gzip"), ("make", "/usr/bin/make"), ("gcc", "/usr/bin/gcc")]
paths = ["/var/log/app.log", "/etc/hosts", "/etc/resolv.conf", "/usr/lib/x86_64-linux-gnu/libc.so.6",
         "/proc/self/status", "/tmp/cache.db", "/srv/data/blob%d", "/var/lib/postgresql/data/base/%d",
         "/etc/passwd", "/dev/null", "/usr/share/zoneinfo/UTC", "/app/static/img%d.png"]
flags = ["O_RDONLY|O_CLOEXEC", "O_WRONLY|O_CREAT|O_TRUNC", "O_RDWR", "O_WRONLY|O_APPEND|O_CREAT", "O_RDONLY"]
out = sys.stdout
w = out.write
ts = 1_700_000_000_000_000_000
pids = {}
next_pid = 1000
for i in range(2000):
    c = containers[i % 20] if i % 4 else None
    name, exe = binaries[i % len(binaries)]
    pids[next_pid] = (c, name, exe)
    ev = {"ts": ts, "type": "execve", "pid": next_pid, "ppid": 1, "comm": name, "exe": exe,
          "args": ["--serve", str(i)], "uid": 1000, "user": "app", "gid": 1000, "group": "app"}
    if c:
        ev.update(container_id=c[0], container_name=c[1], container_image=c[2])
    w(json.dumps(ev, separators=(",", ":")) + "\n")
    next_pid += 1
written = 2000
live = list(pids.keys())
while written < n:
    ts += rnd.randint(1000, 50000)
    pid = live[rnd.randrange(len(live))]
    r = rnd.random()
    if written % 20000 == 0:
        ev = {"ts": ts, "type": "openat", "pid": pid, "path": "/etc/shadow", "flags": "O_RDONLY", "res": 9}
    elif r < 0.35:
        p = rnd.choice(paths)
        if "%d" in p:
            p = p % rnd.randrange(1000)
        ev = {"ts": ts, "type": rnd.choice(["openat", "openat", "open"]), "pid": pid, "path": p, "flags": "O_RDONLY|O_CLOEXEC" if p.startswith("/etc/") else rnd.choice(flags), "res": rnd.randrange(3, 64)}
    elif r < 0.55:
        ev = {"ts": ts, "type": rnd.choice(["read", "write", "close"]), "pid": pid, "fd": rnd.randrange(3, 64), "res": rnd.randrange(0, 4096)}
    elif r < 0.67:
        name, exe = rnd.choice(binaries)
        ev = {"ts": ts, "type": "execve", "pid": pid, "comm": name, "exe": exe, "args": ["-x", str(written % 97)]}
    elif r < 0.75:
        child = next_pid
        next_pid += 1
        live.append(child)
        ev = {"ts": ts, "type": "clone", "pid": pid, "res": child}
    elif r < 0.83:
        if len(live) > 1500:
            live.remove(pid)
        ev = {"ts": ts, "type": "procexit", "pid": pid}
    elif r < 0.91:
        ev = {"ts": ts, "type": "connect", "pid": pid, "fd": 7, "sip": "172.17.0.%d" % rnd.randrange(2, 250), "sport": rnd.randrange(30000, 60000), "dip": "10.0.%d.%d" % (rnd.randrange(255), rnd.randrange(255)), "dport": rnd.choice([80, 443, 5432, 6379]), "l4proto": "tcp", "res": 0}
    elif r < 0.96:
        t = rnd.choice(["renameat2", "unlinkat", "mkdirat"])
        if t == "renameat2":
            ev = {"ts": ts, "type": t, "pid": pid, "oldpath": "/tmp/t%d" % written, "newpath": "/srv/data/f%d" % (written % 1000), "res": 0}
        else:
            ev = {"ts": ts, "type": t, "pid": pid, "path": "/tmp/t%d" % (written % 5000), "res": 0}
    else:
        ev = {"ts": ts, "type": rnd.choice(["setuid", "mmap", "socket", "futex"]), "pid": pid, "res": 0}
    w(json.dumps(ev, separators=(",", ":")) + "\n")
    written += 1
