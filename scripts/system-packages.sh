#!/usr/bin/env bash
# Installs the Debian packages Vigil builds and tests with. Cheap when already present.
set -euo pipefail
packages=(libsqlite3-dev zlib1g-dev libonig-dev gojq gcc libc6-dev dpkg gzip tar curl python3 python3-venv chromium docker-registry skopeo apache2-utils
          golang-go zip unzip binutils
          libbpf-dev libelf-dev pkg-config bpftool
          postgresql python3-prometheus-client wrk
          ruby unzip jq python3-yaml time
          podman runc conmon debootstrap netavark aardvark-dns containernetworking-plugins slirp4netns uidmap catatonit iptables
          node-semver php-cli php-composer-semver)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ] || [ "${VIGIL_FORCE_APT:-}" = 1 ] || [ -n "${CI:-}" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
# Independent references the language tests compare against (PyPI): univers (every ecosystem's
# version ranges), packageurl-python (PURLs). Installed for the system python3 the tests run.
if ! python3 -c 'import univers, packageurl' 2>/dev/null; then
    apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
    python3 -m pip install --quiet --break-system-packages univers packageurl-python
fi
