/// How each ecosystem spells a package name for lookups.
public enum PackageNames {
    /// The name advisories are stored and looked up under, per ecosystem as Trivy's
    /// `NormalizePkgName` spells it:
    /// - PyPI: PEP 503 (`Foo.Bar_baz` → `foo-bar-baz`: runs of `-`, `_`, `.` become one `-`,
    ///   lower-cased);
    /// - npm, Maven (`groupId:artifactId`), RubyGems, Packagist (`vendor/name`), NuGet,
    ///   crates.io, Hex, Pub, conda: lower-cased (their registries treat names
    ///   case-insensitively, and advisories are not consistent about case: `Newtonsoft.Json`
    ///   next to `newtonsoft.json`);
    /// - Go module paths (and `stdlib`) are case-sensitive, as are distro package names: unchanged.
    public static func normalized(_ name: String, ecosystem family: String) -> String {
        switch family {
        case "PyPI": return pep503(name)
        case "npm", "Maven", "RubyGems", "Packagist", "NuGet", "crates.io", "Hex", "Pub", "conda":
            return asciiLowercased(name)
        default: return name
        }
    }

    /// ASCII letters lower-cased, everything else kept (a non-ASCII name is not folded by
    /// locale rules).
    static func asciiLowercased(_ name: String) -> String {
        guard name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return name }
        return String(decoding: name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// PEP 503 "Normalized Names": `re.sub(r"[-_.]+", "-", name).lower()`.
    public static func pep503(_ name: String) -> String {
        var out = ""
        out.reserveCapacity(name.utf8.count)
        var inRun = false
        for scalar in name.unicodeScalars {
            if scalar == "-" || scalar == "_" || scalar == "." {
                if !inRun { out.append("-") }
                inRun = true
            } else {
                out.unicodeScalars.append(scalar.properties.isUppercase && scalar.isASCII
                    ? Unicode.Scalar(scalar.value | 0x20)! : scalar)
                inRun = false
            }
        }
        return out
    }
}
