#!/usr/bin/env python3
"""Generates the docker-archive Benchmarks/lang-bench.sh scans: an application image of the size
issue 17 names, built from real Debian material unpacked by scripts/fetch-lang-binary-fixtures.sh.

  layer 1  os-release and a Node tree: NODE_PACKAGES `package.json` files (each with an index.js)
           under app/node_modules, one in four with a nested node_modules copy of a dependency
  layer 2  Java: JARS copies of Debian's jars (log4j 2, commons-lang3, commons-io, guava) under
           opt/app<i>/lib, plus WARS wars of 10 jars each (deflated WEB-INF/lib) and FATJARS
           Spring Boot style jars of 20 stored BOOT-INF/lib jars
  layer 3  Go and Rust programs: Debian's runc, skopeo, containerd, ctr, containerd-shim-runc-v2
           and uv (cargo-auditable) under usr/local/bin

Each layer is also written gzip-compressed as OUT_DIR/layer<N>.tar.gz, the `gzip -dc` baseline's
input. usage: gen-lang-image.py FIXTURES_PKGS_DIR UV_BINARY OUT_DIR [NODE_PACKAGES JARS WARS FATJARS]
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import zipfile


def add_bytes(tar, path, data, mode=0o644):
    info = tarfile.TarInfo(path)
    info.size = len(data)
    info.mode = mode
    tar.addfile(info, io.BytesIO(data))


def debian_jars(pkgs):
    jars = []
    for package in ["liblog4j2-java", "libcommons-lang3-java", "libcommons-io-java", "libguava-java"]:
        d = os.path.join(pkgs, package, "usr/share/java")
        for name in sorted(os.listdir(d)):
            full = os.path.join(d, name)
            if name.endswith(".jar") and not os.path.islink(full):
                jars.append((name, open(full, "rb").read()))
    return jars


def archive(entries, stored=False):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return buf.getvalue()


def main(pkgs, uv, out, node_packages=20000, jars=500, wars=20, fatjars=5):
    node_packages, jars, wars, fatjars = int(node_packages), int(jars), int(wars), int(fatjars)
    os.makedirs(out, exist_ok=True)
    layers = []

    def layer(fill):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
            fill(tar)
        data = buf.getvalue()
        with gzip.open(os.path.join(out, f"layer{len(layers) + 1}.tar.gz"), "wb", compresslevel=6) as g:
            g.write(data)
        layers.append(data)

    def node(tar):
        add_bytes(tar, "etc/os-release", b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n')
        body = b"'use strict';\n" + b"module.exports = function (a, b) { return a + b; };\n" * 20
        count = 0
        i = 0
        while count < node_packages:
            name = f"pkg-{i:05d}"
            meta = {"name": name, "version": f"{i % 7}.{i % 13}.{i % 5}", "license": "MIT", "main": "index.js",
                    "description": f"generated package {i}", "dependencies": {f"pkg-{(i + 1):05d}": "^1.0.0"}}
            add_bytes(tar, f"app/node_modules/{name}/package.json", json.dumps(meta, indent=2).encode())
            add_bytes(tar, f"app/node_modules/{name}/index.js", body)
            count += 1
            if i % 4 == 0 and count < node_packages:
                nested = dict(meta, name=f"pkg-{(i + 1):05d}", version="0.9.0")
                add_bytes(tar, f"app/node_modules/{name}/node_modules/pkg-{(i + 1):05d}/package.json", json.dumps(nested, indent=2).encode())
                count += 1
            i += 1

    real = debian_jars(pkgs)

    def java(tar):
        for i in range(jars):
            name, data = real[i % len(real)]
            add_bytes(tar, f"opt/app{i // 50}/lib/{i:03d}-{name}", data)  # distinct paths: 500 jars
        for w in range(wars):
            inner = [(f"WEB-INF/lib/{n}", d) for n, d in (real * 2)[w % len(real):w % len(real) + 10]]
            add_bytes(tar, f"srv/webapps/shop{w}.war", archive([("WEB-INF/web.xml", b"<web-app/>\n")] + inner))
        for f in range(fatjars):
            inner = [(f"BOOT-INF/lib/{k:02d}-{n}", d) for k, (n, d) in enumerate((real * 2)[:20])]
            own = ("META-INF/maven/com.example/svc/pom.properties", f"groupId=com.example\nartifactId=svc{f}\nversion=1.0.{f}\n".encode())
            add_bytes(tar, f"srv/boot/svc{f}-1.0.{f}.jar", archive([own] + inner, stored=True))

    def binaries(tar):
        for package, path in [("runc", "usr/sbin/runc"), ("skopeo", "usr/bin/skopeo"), ("containerd", "usr/bin/containerd"),
                              ("containerd", "usr/bin/ctr"), ("containerd", "usr/bin/containerd-shim-runc-v2")]:
            add_bytes(tar, "usr/local/bin/" + os.path.basename(path), open(os.path.join(pkgs, package, path), "rb").read(), 0o755)
        if uv and os.path.exists(uv):
            add_bytes(tar, "usr/local/bin/uv", open(uv, "rb").read(), 0o755)

    layer(node)
    layer(java)
    layer(binaries)
    diff_ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
    config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
    with tarfile.open(os.path.join(out, "image.tar"), "w", format=tarfile.GNU_FORMAT) as tar:
        add_bytes(tar, "config.json", config)
        for n, d in enumerate(diff_ids):
            tar.add(os.path.join(out, f"layer{n + 1}.tar.gz"), arcname=f"{d[7:]}/layer.tar")
        add_bytes(tar, "manifest.json", json.dumps([{"Config": "config.json", "RepoTags": ["vigil-bench/lang:latest"],
                                                     "Layers": [f"{d[7:]}/layer.tar" for d in diff_ids]}]).encode())
    print(os.path.join(out, "image.tar"))


if __name__ == "__main__":
    main(*sys.argv[1:])
