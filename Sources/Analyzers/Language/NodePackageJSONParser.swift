import JSONValue

/// An installed Node.js package's `package.json`, as Trivy's `node-pkg` analyzer reads it: the
/// name (validated against npm's URL-safe name rule), version and license (a string, the legacy
/// `{"type": …}` object or an array of them). A file without a name or a version (a bundler's
/// sub-path helper, a workspace root) gives no package; `private` packages are kept, as in Trivy.
enum NodePackageJSONParser {
    static func parse(_ bytes: [UInt8]) throws(InstalledMetadataProblem) -> [InstalledMetadataSample.Package] {
        let root = try MetadataJSON.parse(bytes)
        _ = try MetadataJSON.object(root, "the document")
        let name = try MetadataJSON.string(root, "name", in: "package.json") ?? ""
        let version = try MetadataJSON.string(root, "version", in: "package.json") ?? ""
        guard name.isEmpty || isValidName(name) else {
            throw InstalledMetadataProblem("name '\(printable(name))' is not a valid npm package name")
        }
        guard !name.isEmpty, !version.isEmpty else { return [] }
        return [InstalledMetadataSample.Package(name: name, version: version, licenses: licenses(root["license"]))]
    }

    /// `^(@[A-Za-z0-9-._]+/)?[A-Za-z0-9-._]+$`.
    static func isValidName(_ name: String) -> Bool {
        func ok(_ part: Substring.UTF8View) -> Bool {
            !part.isEmpty && part.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                    || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_")
            }
        }
        let s = name[...]
        guard s.hasPrefix("@") else { return ok(s.utf8) }
        let parts = s.dropFirst().split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count == 2 && ok(parts[0].utf8) && ok(parts[1].utf8)
    }

    static func licenses(_ value: JSON?) -> [String] {
        switch value {
        case .string(let s)?: return s.isEmpty ? [] : [s]
        case .object?:
            if let t = value?["type"]?.stringValue, !t.isEmpty { return [t] }
            return []
        case .array(let items)?:
            return items.compactMap { $0["type"]?.stringValue }.filter { !$0.isEmpty }
        default: return []
        }
    }

    /// At most 60 printable ASCII characters of a hostile value, for a warning line.
    static func printable(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }.prefix(60)))
    }
}
