#!/usr/bin/env bash
# Installs the Debian packages Vigil builds and tests with. Cheap when already present.
set -euo pipefail
packages=(libsqlite3-dev zlib1g-dev libonig-dev gojq gcc libc6-dev dpkg gzip tar curl python3 python3-venv chromium docker-registry skopeo apache2-utils
          golang-go zip unzip binutils
          libbpf-dev libelf-dev pkg-config bpftool
          postgresql python3-prometheus-client wrk
          podman runc conmon debootstrap netavark aardvark-dns containernetworking-plugins slirp4netns uidmap catatonit iptables)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ] || [ "${VIGIL_FORCE_APT:-}" = 1 ] || [ -n "${CI:-}" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
