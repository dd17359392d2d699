#!/usr/bin/env bash
# Downloads the Debian packages whose real Go programs and Java archives the language-binary
# tests read (runc, skopeo, containerd; log4j 2, commons-lang3, commons-io, guava; two Go
# module sources for a vendored test build) and unpacks each with `dpkg-deb -x` into
# .build/lang-binary-fixtures/pkgs/<package>/; and uv's manylinux wheel from PyPI, whose `uv`
# program is a real cargo-auditable build (a `.dep-v0` section), unpacked into wheels/uv/; and
# installs univers (pip) when python3 lacks it. Nothing here is committed: the tests read the
# cache and skip when it is absent. Re-running is cheap (unpacked packages are kept).
#
# usage: scripts/fetch-lang-binary-fixtures.sh [cache-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${1:-.build/lang-binary-fixtures}
packages=(
  runc skopeo containerd
  liblog4j2-java libcommons-lang3-java libcommons-io-java libguava-java
  golang-github-pkg-errors-dev golang-golang-x-text-dev
)
mkdir -p "$cache/debs" "$cache/pkgs"
cd "$cache/debs"
for p in "${packages[@]}"; do
  compgen -G "${p}_*.deb" >/dev/null && continue
  # A package absent from this machine's apt sources is noted, not fatal: its tests then skip.
  apt-get download "$p" >/dev/null 2>&1 || echo "fetch-lang-binary-fixtures: $p: not available from apt" >&2
done
cd - >/dev/null
for deb in "$cache"/debs/*.deb; do
  name=$(basename "$deb"); name=${name%%_*}
  dest="$cache/pkgs/$name"
  [[ -d $dest ]] && continue
  mkdir -p "$dest.tmp" && dpkg-deb -x "$deb" "$dest.tmp" && mv "$dest.tmp" "$dest"
  dpkg-deb -f "$deb" Version > "$dest.version"
done
if [[ ! -d $cache/wheels/uv ]]; then
  mkdir -p "$cache/wheels/tmp"
  if python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux_2_17_x86_64 \
       --dest "$cache/wheels/tmp" uv==0.13.9 >/dev/null 2>&1; then
    python3 -m zipfile -e "$cache"/wheels/tmp/uv-*.whl "$cache/wheels/uv.tmp" && chmod +x "$cache"/wheels/uv.tmp/uv-*.data/scripts/* \
      && mv "$cache/wheels/uv.tmp" "$cache/wheels/uv"
  else
    echo "fetch-lang-binary-fixtures: the uv wheel is not available from pip" >&2
  fi
  rm -rf "$cache/wheels/tmp"
fi
# univers: the independent version-range implementation LanguageBinaryMatchingTests checks with.
python3 -c "import univers" 2>/dev/null || python3 -m pip install --quiet univers >/dev/null 2>&1 \
  || echo "fetch-lang-binary-fixtures: univers is not installable from pip" >&2
echo "$cache"
