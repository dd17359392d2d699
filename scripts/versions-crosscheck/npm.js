// node-semver reference (Debian's node-semver): same protocol as main.swift.
const semver = require('/usr/share/nodejs/semver');
const lines = require('fs').readFileSync(0, 'utf8').split('\n');
const out = [];
for (const line of lines) {
  if (!line) continue;
  const f = line.split('\t');
  try {
    if (f[0] === 'cmp') {
      const a = new semver.SemVer(f[2]); const b = new semver.SemVer(f[3]);
      out.push(String(a.compare(b)));
    } else if (f[0] === 'valid') {
      let ok = 1; try { new semver.SemVer(f[2]); } catch (e) { ok = 0; }
      out.push(String(ok));
    } else if (f[0] === 'range') {
      let r; try { r = new semver.Range(f[2]); } catch (e) { out.push('E'); continue; }
      out.push(r.test(f[3]) ? '1' : '0');
    }
  } catch (e) { out.push('X'); }
}
process.stdout.write(out.join('\n') + '\n');
