#!/usr/bin/env bash
# Downloads the Debian packages whose real programs the unmanaged-software tests classify
# (php, httpd, nginx, redis, openssl, bash, busybox, node, python, perl, ruby, curl, sqlite3,
# postgres, mariadb, haproxy, memcached, git, WordPress) and unpacks each with `dpkg-deb -x`
# into .build/unmanaged-fixtures/pkgs/<package>/. Nothing here is committed: the tests read the
# cache and skip when it is absent. Re-running is cheap (already unpacked packages are kept).
#
# usage: scripts/fetch-unmanaged-fixtures.sh [--lab] [cache-dir]
#   --lab  only the packages scripts/build-wordpress-lab-image.py needs (the set-up scan's image)
set -euo pipefail
cd "$(dirname "$0")/.."
lab=0
if [[ ${1:-} == --lab ]]; then lab=1; shift; fi
cache=${1:-.build/unmanaged-fixtures}
lab_packages=(php8.2-cli apache2-bin nginx redis-tools openssl libssl3 bash wordpress wordpress-theme-twentytwentythree)
packages=(
  php8.2-cli php8.2-fpm libapache2-mod-php8.2 apache2-bin nginx nginx-core redis-server redis-tools
  openssl libssl3 bash busybox nodejs libnode108 python3.11-minimal libpython3.11 perl-base libperl5.36
  libruby3.1 ruby3.1 curl libcurl4 sqlite3 libsqlite3-0 postgresql-15 mariadb-server-core mariadb-server
  haproxy memcached git wordpress wordpress-theme-twentytwentythree
)
((lab)) && packages=("${lab_packages[@]}")
mkdir -p "$cache/debs" "$cache/pkgs"
cd "$cache/debs"
missing=()
for p in "${packages[@]}"; do
  compgen -G "${p}_*.deb" >/dev/null || missing+=("$p")
done
if ((${#missing[@]})); then
  # A package absent from this machine's apt sources is skipped with a note, not fatal: its
  # classifier test then reports itself as skipped.
  for p in "${missing[@]}"; do
    apt-get download "$p" >/dev/null 2>&1 || echo "fetch-unmanaged-fixtures: $p: not available from apt" >&2
  done
fi
cd - >/dev/null
for deb in "$cache"/debs/*.deb; do
  name=$(basename "$deb"); name=${name%%_*}
  dest="$cache/pkgs/$name"
  [[ -d $dest ]] && continue
  mkdir -p "$dest.tmp" && dpkg-deb -x "$deb" "$dest.tmp" && mv "$dest.tmp" "$dest"
  dpkg-deb -f "$deb" Version > "$dest.version"
done
echo "$cache"
