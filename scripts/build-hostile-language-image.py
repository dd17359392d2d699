#!/usr/bin/env python3
"""Writes a one-layer docker archive for InstalledLanguageHostileTests.

usage: build-hostile-language-image.py OUT BIG_PATH SIZE < files.json

The layer (gzip) holds the files of files.json (path -> text) and a SIZE-byte file at BIG_PATH
that repeats a 16 KiB random block: it compresses about 64:1, under the image loader's
decompression-bomb ratio, as a real oversized file would. The tar is hashed for its diff ID as it
streams, so nothing of SIZE bytes is ever held in memory or written uncompressed.
"""
import gzip, hashlib, io, json, os, sys, tarfile
out, big_path, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = json.loads(sys.stdin.read())
block = os.urandom(16384)
class Filler:
    def __init__(self, n): self.left = n
    def read(self, n=-1):
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return (block * (n // len(block) + 1))[:n]
class Tee:
    def __init__(self, gz): self.gz, self.sha = gz, hashlib.sha256()
    def write(self, b): self.sha.update(b); self.gz.write(b); return len(b)
layer = out + ".layer"
with open(layer, "wb") as raw:
    gz = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1)
    tee = Tee(gz)
    tar = tarfile.open(fileobj=tee, mode="w|", format=tarfile.GNU_FORMAT)
    for name, text in sorted(files.items()):
        data = text.encode()
        info = tarfile.TarInfo(name); info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    info = tarfile.TarInfo(big_path); info.size = size
    tar.addfile(info, Filler(size))
    tar.close(); gz.close()
diff_id = "sha256:" + tee.sha.hexdigest()
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                     "rootfs": {"type": "layers", "diff_ids": [diff_id]}}).encode()
with tarfile.open(out, "w") as img:
    img.add(layer, arcname="layer.tar.gz")
    for name, data in (("config.json", config),
                       ("manifest.json", json.dumps([{"Config": "config.json", "RepoTags": ["hostile:1"],
                                                      "Layers": ["layer.tar.gz"]}]).encode())):
        info = tarfile.TarInfo(name); info.size = len(data)
        img.addfile(info, io.BytesIO(data))
