#!/usr/bin/env python3
"""Writes N varied, deterministic Dockerfiles (default 1000) into DIR for Benchmarks/config-bench.sh.

Mixes what real Dockerfiles contain: multi-stage builds, ARG/ENV expansion, apt/apk/yum/pip installs,
continuation-heavy RUNs, heredocs, downloads over http and https, COPY --from, HEALTHCHECK, USER.
"""
import os
import random
import sys

BASES = ["ubuntu:14.04", "ubuntu:22.04", "debian:12-slim", "alpine:3.19", "centos:7", "python:3.12-slim",
         "node:20", "golang:1.22", "fedora:40", "opensuse/leap:15.5", "nginx", "redis:latest"]
APT = ["curl", "ca-certificates", "git", "build-essential", "libssl-dev", "jq", "unzip", "vim", "wget", "gnupg"]
APK = ["curl", "bash", "git", "openssl", "tzdata", "su-exec", "tini"]
PIP = ["requests", "flask==3.0.0", "numpy>=1.26", "gunicorn", "boto3", "pyyaml==6.0.1"]
TARS = ["bash-4.3.tar.gz", "openssl-1.0.1f.tar.gz", "nginx-1.25.3.tar.gz", "redis-7.2.4.tar.gz", "curl-8.5.0.tar.xz"]


def run_block(r, base):
    kind = r.choice(["apt", "apk", "yum", "pip", "tar", "deb", "heredoc", "misc"])
    if kind == "apt" or (kind in ("apk", "yum") and base.startswith(("ubuntu", "debian"))):
        pkgs = " \\\n        ".join(r.sample(APT, r.randint(2, 6)))
        flags = r.choice(["-y --no-install-recommends", "-y", "-qq", ""])
        tail = r.choice([" \\\n    && rm -rf /var/lib/apt/lists/*", ""])
        return f"RUN apt-get update \\\n    && apt-get install {flags} \\\n        {pkgs}{tail}\n"
    if kind == "apk":
        return f"RUN apk add {r.choice(['--no-cache ', ''])}{' '.join(r.sample(APK, r.randint(1, 4)))}\n"
    if kind == "yum":
        return f"RUN yum install {r.choice(['-y ', ''])}httpd mod_ssl{r.choice([' && yum clean all', ''])}\n"
    if kind == "pip":
        return f"RUN pip install --no-cache-dir {' '.join(r.sample(PIP, r.randint(1, 4)))}\n"
    if kind == "tar":
        t = r.choice(TARS)
        scheme = r.choice(["http", "https"])
        d = t.split(".tar")[0]
        return (f"RUN curl -fsSL {scheme}://ftp.example.org/pub/{t} -o /tmp/{t} \\\n"
                f"    && tar -xf /tmp/{t} -C /usr/src \\\n    && cd /usr/src/{d} && ./configure && make -j\"$(nproc)\" && make install\n")
    if kind == "deb":
        return ("RUN wget http://security.ubuntu.com/ubuntu/pool/main/w/wget/wget_1.15-1ubuntu1.14.04.5_amd64.deb \\\n"
                "    && dpkg -i wget_1.15-1ubuntu1.14.04.5_amd64.deb\n")
    if kind == "heredoc":
        return "RUN <<EOF\nset -eux\napt-get update\napt-get install -y --no-install-recommends tini\nrm -rf /var/lib/apt/lists/*\nEOF\n"
    return r.choice([
        "RUN curl -fsSL https://get.example.com/install.sh | sh\n",
        "RUN set -o pipefail && curl -fsSL https://example.com/x.tgz | tar -xz -C /opt\n",
        "RUN chmod 755 /usr/local/bin/entrypoint.sh && useradd -r -u 10001 app\n",
        "RUN sudo chmod 777 /data\n",
        "RUN echo \"$APP_VERSION\" > /etc/app-version\n",
    ])


def dockerfile(i):
    r = random.Random(i)
    out = []
    if r.random() < 0.3:
        out.append("# syntax=docker/dockerfile:1\n")
    ver = f"{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)}"
    out.append(f"ARG APP_VERSION={ver}\n")
    stages = r.randint(1, 3)
    for s in range(stages):
        base = r.choice(BASES)
        out.append(f"FROM {base} AS stage{s}\n" if s < stages - 1 else f"FROM {base}\n")
        out.append("ARG APP_VERSION\n")
        out.append(f"ENV APP_HOME=/srv/app{s} PATH=/srv/app{s}/bin:$PATH\n")
        out.append("WORKDIR ${APP_HOME}\n")
        for _ in range(r.randint(2, 7)):
            out.append(run_block(r, base))
        if s > 0:
            out.append(f"COPY --from=stage{s - 1} /srv /srv\n")
        out.append(r.choice(["COPY . /srv/app\n", "COPY src/ /srv/app/src/\n", "ADD app.tar.gz /srv/\n"]))
        if r.random() < 0.5:
            out.append("EXPOSE 8080 " + r.choice(["22", "443/tcp", "9090"]) + "\n")
    if r.random() < 0.6:
        out.append("HEALTHCHECK --interval=30s CMD curl -fsS http://127.0.0.1:8080/health || exit 1\n")
    if r.random() < 0.7:
        out.append(r.choice(["USER app\n", "USER 10001:10001\n", "USER root\n"]))
    out.append('CMD ["/srv/app/bin/start", "--port", "8080"]\n')
    return "".join(out)


def main():
    out_dir = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    os.makedirs(out_dir, exist_ok=True)
    for i in range(n):
        with open(os.path.join(out_dir, f"{i:04d}.Dockerfile"), "w") as f:
            f.write(dockerfile(i))


if __name__ == "__main__":
    main()
