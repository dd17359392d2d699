/// How each ecosystem spells a package name for lookups.
public enum PackageNames {
    /// The name advisories are stored and looked up under: PEP 503 for PyPI (`Foo.Bar_baz` →
    /// `foo-bar-baz`: runs of `-`, `_`, `.` become one `-`, lower-cased); unchanged elsewhere (Go
    /// module paths and crate names are case-sensitive as published).
    public static func normalized(_ name: String, ecosystem family: String) -> String {
        guard family == "PyPI" else { return name }
        return pep503(name)
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
