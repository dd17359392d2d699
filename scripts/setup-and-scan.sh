#!/usr/bin/env bash
# Command (1) of the README: install, build release, build a vulnerability database, scan an image.
# Offline variant: feeds and the image come from ../shared/data (this machine has no internet).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${VIGIL_SHARED:-$(cd .. && pwd)/shared}"
bash scripts/system-packages.sh
swift build -c release --product vigil
# the eBPF sensor object for `vigil watch`, beside the binary (needs a kernel with BTF)
bash scripts/build-bpf.sh .build/release || echo "note: vigil watch's kernel sensor was not built (see above); everything else works"
VIGIL=.build/release/vigil
export VIGIL_DB="${VIGIL_DB:-$HOME/.cache/vigil/db/vigil.db}"
"$VIGIL" db update --from "$SHARED/data/feeds"      # every mirrored feed: distros, OSV ecosystems, NVD, CWE
"$VIGIL" db info
"$VIGIL" image --input "$SHARED/data/images/alpine-3.10.4-docker-archive.tar.gz"
# What Vigil is for: an image laid out like wordpress:4.6.1-php5.6-apache (Debian base, Apache from
# dpkg, PHP and WordPress 4.6.1 installed outside any package manager), built from real Debian
# packages; its PHP binary is Debian's with the version string set to 5.6.28 (see the script).
bash scripts/fetch-unmanaged-fixtures.sh --lab >/dev/null
python3 scripts/build-wordpress-lab-image.py .build/unmanaged-fixtures/pkgs "$SHARED" \
    .build/unmanaged-fixtures/wordpress-4.6.1-php5.6-apache-lab.tar --wordpress-version 4.6.1 --php-version 5.6.28 --php-only >/dev/null
"$VIGIL" image --input .build/unmanaged-fixtures/wordpress-4.6.1-php5.6-apache-lab.tar
