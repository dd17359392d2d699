#!/usr/bin/env bash
# Downloads Debian packages that ship real project lockfiles and build files (package-lock.json,
# yarn.lock, pnpm-lock.yaml, Gemfile.lock, composer.lock, Maven POMs) and unpacks each with
# `dpkg-deb -x` into .build/lockfile-fixtures/pkgs/<package>/. Nothing here is committed: the
# lockfile tests (Tests/IntegrationTests/LockfileInventoryTests.swift) read the cache and skip
# when it is absent. Re-running is cheap (already unpacked packages are kept).
#
# usage: scripts/fetch-lockfile-fixtures.sh [cache-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${1:-.build/lockfile-fixtures}
packages=(
  coz-profiler glances node-ts-loader ruby-bootstrap-form node-autoprefixer node-postcss
  ruby-asana ruby-database-cleaner icingaweb2-module-x509 dokuwiki
  libcommons-lang3-java liblog4j2-java libjackson2-databind-java
)
mkdir -p "$cache/debs" "$cache/pkgs"
cd "$cache/debs"
for p in "${packages[@]}"; do
  compgen -G "${p}_*.deb" >/dev/null && continue
  apt-get download "$p" >/dev/null 2>&1 || echo "fetch-lockfile-fixtures: $p: not available from apt" >&2
done
cd - >/dev/null
for deb in "$cache"/debs/*.deb; do
  name=$(basename "$deb"); name=${name%%_*}
  dest="$cache/pkgs/$name"
  [[ -d $dest ]] && continue
  mkdir -p "$dest.tmp" && dpkg-deb -x "$deb" "$dest.tmp" && mv "$dest.tmp" "$dest"
done
