import JSONValue

/// The dependency list cargo-auditable embeds in a Rust binary: the `.dep-v0` section, a
/// zlib stream of JSON `{"packages":[{"name","version","source","kind","dependencies","root"}]}`.
/// Reduced as Trivy's rustbinary parser does: runtime packages only (`kind` absent or `runtime`).
enum CargoAuditableInfo {
    /// go-rustaudit's bound on the inflated JSON; real lists are a few KiB.
    static let maxInflated = 8 << 20

    enum Outcome: Equatable {
        case packages([PackageSample.Package])
        case problem(String)
    }

    static func decode(_ section: ArraySlice<UInt8>, path: String) -> Outcome {
        let inflated = section.withUnsafeBytes { BoundedInflater.inflate($0, wrapper: .zlib, limit: maxInflated) }
        let json: [UInt8]
        switch inflated {
        case .bytes(let b): json = b
        case .tooLarge: return .problem("\(path): the .dep-v0 section inflates past \(maxInflated >> 20) MiB; not read")
        case .corrupt: return .problem("\(path): the .dep-v0 section is not a valid zlib stream; not read")
        }
        let root: JSON
        do { root = try JSONParser.parse(json) } catch {
            return .problem("\(path): the .dep-v0 section is not valid JSON (\(error)); not read")
        }
        guard let list = root["packages"]?.arrayValue else {
            return .problem("\(path): the .dep-v0 section has no \"packages\" array; not read")
        }
        var packages: [PackageSample.Package] = []
        for entry in list {
            guard let name = entry["name"]?.stringValue, let version = entry["version"]?.stringValue else {
                return .problem("\(path): a .dep-v0 package lacks a name or version; not read")
            }
            let kind = entry["kind"]?.stringValue ?? "runtime"
            if kind == "runtime" { packages.append(PackageSample.Package(name: name, version: version, path: path)) }
        }
        return .packages(packages)
    }
}
