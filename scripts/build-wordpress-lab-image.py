#!/usr/bin/env python3
"""Builds a `docker save` archive laid out like `wordpress:4.6.1-php5.6-apache` from real Debian
packages unpacked by scripts/fetch-unmanaged-fixtures.sh:

  layer 1  a Debian 12 base: os-release, debian_version, dpkg status (../shared/data/inventories/debian-12)
  layer 2  programs installed by dpkg: the files of apache2-bin, bash, libssl3, openssl, nginx,
           redis-tools and php8.2-cli at their Debian paths, each package in the dpkg status with
           its `var/lib/dpkg/info/<package>.list` (owned: only distro advisories may report them)
  layer 3  the same programs copied outside any package manager (unowned):
           usr/local/bin/php, usr/local/apache2/bin/httpd, usr/local/nginx/sbin/nginx,
           usr/local/bin/redis-server, usr/local/lib/libcrypto.so.3, usr/local/bin/bash,
           and WordPress (Debian's tree, akismet plugin, twentytwentythree theme) under
           usr/src/wordpress with version.php set to --wordpress-version

--php-only keeps only PHP (and WordPress) in layer 3, as in the scenario's image, where Apache
came from Debian's packages.

--php-version rewrites the version in the copied PHP binary's `X-Powered-By: PHP/x.y.z` string
(same length only): Debian 12 ships PHP 8.2, the scenario's image ran PHP 5.6. The binary stays
a real PHP ELF; only those bytes change. Nothing else is edited.

usage: build-wordpress-lab-image.py PKGS_DIR SHARED_DIR OUT.tar [--wordpress-version 4.6.1] [--php-version 5.6.28] [--php-only]
"""
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile

OWNED = ["apache2-bin", "bash", "libssl3", "openssl", "nginx", "redis-tools", "php8.2-cli"]
UNOWNED = [  # (package, path inside the package, path in the image)
    ("php8.2-cli", "usr/bin/php8.2", "usr/local/bin/php"),
    ("apache2-bin", "usr/sbin/apache2", "usr/local/apache2/bin/httpd"),
    ("nginx", "usr/sbin/nginx", "usr/local/nginx/sbin/nginx"),
    ("redis-tools", "usr/bin/redis-check-rdb", "usr/local/bin/redis-server"),
    ("libssl3", "usr/lib/x86_64-linux-gnu/libcrypto.so.3", "usr/local/lib/libcrypto.so.3"),
    ("bash", "bin/bash", "usr/local/bin/bash"),
]


def add_tree(tar, root, prefix="", skip=lambda p: False):
    """Adds every entry under root (files, symlinks, directories) as prefix/relative; returns the paths."""
    paths = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, root)
        for name in sorted(dirnames) + sorted(filenames):
            full = os.path.join(dirpath, name)
            rel = os.path.normpath(os.path.join(prefix, rel_dir, name) if rel_dir != "." else os.path.join(prefix, name))
            if skip(rel):
                continue
            info = tar.gettarinfo(full, arcname=rel)
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mtime = 0
            if info.isreg():
                with open(full, "rb") as f:
                    tar.addfile(info, f)
            else:
                tar.addfile(info)
            paths.append(rel)
    return paths


def add_bytes(tar, path, data, mode=0o644):
    info = tarfile.TarInfo(path)
    info.size = len(data)
    info.mode = mode
    tar.addfile(info, io.BytesIO(data))


def control(debs, package):
    deb = next(os.path.join(debs, d) for d in sorted(os.listdir(debs)) if d.startswith(package + "_"))
    fields = {}
    for key in ("Package", "Version", "Architecture", "Source", "Maintainer"):
        value = subprocess.run(["dpkg-deb", "-f", deb, key], capture_output=True, text=True).stdout.strip()
        if value:
            fields[key] = value
    return fields


def paragraphs(status):
    return [p for p in status.split("\n\n") if p.strip()]


def main(argv):
    args = [a for a in argv[1:]]
    wordpress_version, php_version = "4.6.1", None
    unowned = UNOWNED
    if "--php-only" in args:
        args.remove("--php-only")
        unowned = [u for u in UNOWNED if u[0] == "php8.2-cli"]
    if "--wordpress-version" in args:
        i = args.index("--wordpress-version"); wordpress_version = args[i + 1]; del args[i:i + 2]
    if "--php-version" in args:
        i = args.index("--php-version"); php_version = args[i + 1]; del args[i:i + 2]
    if len(args) != 3:
        sys.exit(__doc__)
    pkgs, shared, out = args
    debs = os.path.join(os.path.dirname(os.path.abspath(pkgs)), "debs")
    layers = []

    # Layer 1: the Debian base's release files and package database.
    base = os.path.join(shared, "data/inventories/debian-12")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for d in ("etc", "var", "var/lib", "var/lib/dpkg"):
            info = tarfile.TarInfo(d); info.type = tarfile.DIRTYPE; info.mode = 0o755; tar.addfile(info)
        add_bytes(tar, "etc/os-release", open(os.path.join(base, "os-release"), "rb").read())
        add_bytes(tar, "etc/debian_version", open(os.path.join(base, "debian_version"), "rb").read())
        base_status = open(os.path.join(base, "status")).read()
        add_bytes(tar, "var/lib/dpkg/status", base_status.encode())
    layers.append(buf.getvalue())

    # Layer 2: packages installed by dpkg, with their file lists.
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        status = {p.split("\n", 1)[0].split(":", 1)[1].strip(): p for p in paragraphs(base_status) if p.startswith("Package:")}
        for package in OWNED:
            root = os.path.join(pkgs, package)
            paths = add_tree(tar, root, skip=lambda p: p.startswith("usr/share/doc") or p.startswith("usr/share/man"))
            add_bytes(tar, f"var/lib/dpkg/info/{package}.list", ("/.\n" + "".join("/" + p + "\n" for p in paths)).encode())
            c = control(debs, package)
            lines = [f"Package: {c['Package']}", "Status: install ok installed"]
            lines += [f"{k}: {c[k]}" for k in ("Maintainer", "Architecture", "Source", "Version") if k in c]
            status[package] = "\n".join(lines)
        add_bytes(tar, "var/lib/dpkg/status", ("\n\n".join(status[k] for k in sorted(status)) + "\n").encode())
    layers.append(buf.getvalue())

    # Layer 3: copies outside any package manager, and WordPress from its release tree.
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for package, source, target in unowned:
            data = open(os.path.join(pkgs, package, source), "rb").read()
            if package == "php8.2-cli" and php_version:
                found = re.search(rb"X-Powered-By: PHP/(\d+\.\d+\.\d+)", data)
                old = found.group(1)
                if len(old) != len(php_version):
                    sys.exit(f"--php-version {php_version}: must have as many characters as {old.decode()}")
                data = data.replace(b"X-Powered-By: PHP/" + old, b"X-Powered-By: PHP/" + php_version.encode())
            add_bytes(tar, target, data, 0o755)
        wp = os.path.join(pkgs, "wordpress/usr/share/wordpress")
        add_tree(tar, wp, "usr/src/wordpress", skip=lambda p: p.endswith("wp-includes/version.php") or p.endswith("wp-config.php"))
        add_tree(tar, os.path.join(pkgs, "wordpress-theme-twentytwentythree/usr/share/wordpress/wp-content/themes"),
                 "usr/src/wordpress/wp-content/themes")
        version_php = open(os.path.join(wp, "wp-includes/version.php")).read()
        version_php, n = re.subn(r"\$wp_version = '[^']*';", f"$wp_version = '{wordpress_version}';", version_php)
        assert n == 1
        add_bytes(tar, "usr/src/wordpress/wp-includes/version.php", version_php.encode())
    layers.append(buf.getvalue())

    diff_ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"Cmd": ["apache2-foreground"], "WorkingDir": "/var/www/html"},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created_by": "debian base"}, {"created_by": "apt-get install apache2 …"},
                    {"created_by": "php and WordPress from source"}],
    }).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": config_name, "RepoTags": [f"vigil-lab/wordpress:{wordpress_version}-lab"],
                            "Layers": [f"{d[7:]}/layer.tar" for d in diff_ids]}]).encode()
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with tarfile.open(out + ".tmp", mode="w", format=tarfile.GNU_FORMAT) as tar:
        add_bytes(tar, config_name, config)
        for d, l in zip(diff_ids, layers):
            add_bytes(tar, f"{d[7:]}/layer.tar", l)
        add_bytes(tar, "manifest.json", manifest)
    os.replace(out + ".tmp", out)
    print(out)


if __name__ == "__main__":
    main(sys.argv)
