// Cross-check driver: compiled by scripts/versions-crosscheck.py together with
// Sources/Versioning/*.swift (one module, no package build). Reads tab-separated requests on
// stdin and prints one answer per line:
//   cmp <scheme> <a> <b>      -> -1, 0 or 1 (VersionComparator.compare)
//   valid <scheme> <a>        -> 1 or 0 (the scheme's parser accepts it)
//   range <scheme> <r> <v>    -> 1, 0, or E when the range does not parse
//   irregular maven <a>       -> 1 when Vigil's Maven order departs from Maven's there
var out = ""
out.reserveCapacity(1 << 20)
while let line = readLine(strippingNewline: true) {
    let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    guard f.count >= 3, let scheme = VersionScheme(rawValue: f[1]) else {
        out += "?\n"
        continue
    }
    switch f[0] {
    case "cmp":
        out += "\(VersionComparator.compare(f[2], f[3], scheme: scheme))\n"
    case "valid":
        let ok: Bool
        switch scheme {
        case .npm: ok = (try? NpmVersion(f[2])) != nil
        case .maven: ok = true
        case .rubygems: ok = (try? RubyGemsVersion(f[2])) != nil
        case .composer: ok = (try? ComposerVersion(f[2])) != nil
        case .nuget: ok = (try? NuGetVersion(f[2])) != nil
        default: ok = false
        }
        out += ok ? "1\n" : "0\n"
    case "irregular":
        // Maven strings whose items start a list with a sub-list (see MavenVersion.regular).
        out += scheme == .maven && MavenVersion.isIrregular(f[2]) ? "1\n" : "0\n"
    case "range":
        if let range = try? scheme.range(f[2]) {
            out += range.contains(f[3]) ? "1\n" : "0\n"
        } else {
            out += "E\n"
        }
    default:
        out += "?\n"
    }
    if out.utf8.count > 1 << 16 {
        print(out, terminator: "")
        out = ""
    }
}
print(out, terminator: "")
