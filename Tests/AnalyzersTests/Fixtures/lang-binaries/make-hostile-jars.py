#!/usr/bin/env python3
"""Writes the hostile Java archives JarHostileTests scans into OUT_DIR (Python's zipfile is the
independent writer; each archive is described where it is made).

usage: make-hostile-jars.py OUT_DIR
"""
import io
import os
import struct
import sys
import zipfile


def pom(group, artifact, version):
    return f"groupId={group}\nartifactId={artifact}\nversion={version}\n".encode()


def jar_bytes(entries, compression=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in entries:
            z.writestr(name, data)
    return buf.getvalue()


def write(out, name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def main(out):
    os.makedirs(out, exist_ok=True)
    ok = ("META-INF/maven/org.example/ok/pom.properties", pom("org.example", "ok", "1.0.0"))
    # 100 MiB of zeros in a nested jar: honest headers, over the per-archive limit (ratio ~1000:1).
    write(out, "ratio-bomb.jar", jar_bytes([ok, ("lib/zeros.jar", bytes(100 << 20))]))
    # Five nested jars of 60 MiB each: each under the limit, together over the total budget.
    write(out, "budget-bomb.jar", jar_bytes([ok] + [(f"lib/z{i}.jar", bytes(60 << 20)) for i in range(5)]))
    # A nested entry whose central directory claims 1,000 bytes but that inflates to 4 MiB.
    data = bytearray(jar_bytes([ok, ("lib/liar.jar", bytes(4 << 20))]))
    name = b"lib/liar.jar"
    p = data.find(b"PK\x01\x02")
    while p >= 0:
        n = struct.unpack_from("<H", data, p + 28)[0]
        if bytes(data[p + 46:p + 46 + n]) == name:
            struct.pack_into("<I", data, p + 24, 1000)
        p = data.find(b"PK\x01\x02", p + 4)
    write(out, "lying-size.jar", bytes(data))
    # Jars nested six deep, a pom.properties at each level.
    inner = jar_bytes([("META-INF/maven/org.example/level6/pom.properties", pom("org.example", "level6", "6.0"))])
    for level in range(5, 0, -1):
        inner = jar_bytes([(f"META-INF/maven/org.example/level{level}/pom.properties", pom("org.example", f"level{level}", f"{level}.0")),
                           (f"lib/level{level + 1}.jar", inner)])
    write(out, "deep.jar", inner)
    # Nested archives named outside the archive.
    write(out, "slip.war", jar_bytes([ok, ("../../evil.jar", jar_bytes([ok])), ("/abs/evil.jar", jar_bytes([ok])),
                                      ("WEB-INF/lib/a/../../../x.jar", jar_bytes([ok]))]))
    # 100,001 entries (ZIP64 end records), the pom.properties last.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for i in range(100_000):
            z.writestr(f"c/{i}.class", b"")
        z.writestr(ok[0], ok[1])
    write(out, "many-entries.jar", buf.getvalue())
    # Not a zip at all, and a real zip cut in half.
    write(out, "garbage.jar", b"\x00garbage" * 1000)
    whole = jar_bytes([ok] + [(f"c/{i}.class", os.urandom(512)) for i in range(64)])
    write(out, "truncated.jar", whole[: len(whole) // 2])
    # Fields with control characters: one package, one line.
    write(out, "tabs.jar", jar_bytes([("META-INF/maven/g/a/pom.properties", b"groupId=g\tx\nartifactId=a\nversion=1.0\x1b[31m\n")]))
    # MANIFEST.MF only (Trivy's offline rule), and a bare file name.
    manifest = (b"Manifest-Version: 1.0\r\nImplementation-Title: widget\r\nImplementation-Version: 2.3\r\n"
                b"Implementation-Vendor-Id: org.example.wid\r\n get\r\n\r\nName: other\r\nImplementation-Version: 9\r\n")
    write(out, "manifest-only.jar", jar_bytes([("META-INF/MANIFEST.MF", manifest)]))
    write(out, "plain-utils-4.5.6.jar", jar_bytes([("a/B.class", b"\xca\xfe\xba\xbe")]))


if __name__ == "__main__":
    main(sys.argv[1])
