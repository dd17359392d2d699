/// A package URL read back (purl spec: `pkg:type/namespace/name@version?qualifiers#subpath`),
/// percent-decoded, the type lower-cased.
public struct ParsedPackageURL: Sendable, Hashable {
    public var type: String
    public var namespace: String?
    public var name: String
    public var version: String?
    public var qualifiers: [String: String]

    /// Parses `text`; nil when it is not a package URL.
    public init?(_ text: String) {
        guard text.hasPrefix("pkg:") else { return nil }
        var rest = Substring(text.dropFirst(4))
        while rest.first == "/" { rest = rest.dropFirst() }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        var qualifiers: [String: String] = [:]
        if let question = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: question)...].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                guard kv.count == 2, let value = Self.decode(kv[1]) else { return nil }
                qualifiers[kv[0].lowercased()] = value
            }
            rest = rest[..<question]
        }
        var version: String?
        if let at = rest.lastIndex(of: "@"), let slash = rest.firstIndex(of: "/"), at > slash {
            guard let v = Self.decode(rest[rest.index(after: at)...]) else { return nil }
            version = v
            rest = rest[..<at]
        }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 2 else { return nil }
        let type = parts[0].lowercased()
        guard !type.isEmpty, type.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "+" || $0 == "-" }) else { return nil }
        var decoded: [String] = []
        for p in parts.dropFirst() {
            guard let d = Self.decode(p) else { return nil }
            decoded.append(d)
        }
        self.type = type
        self.name = decoded.removeLast()
        self.namespace = decoded.isEmpty ? nil : decoded.joined(separator: "/")
        self.version = version
        self.qualifiers = qualifiers
        guard !name.isEmpty else { return nil }
    }

    /// `%40scope` → `@scope`; nil for a malformed escape.
    public static func decode(_ s: Substring) -> String? {
        guard s.contains("%") else { return String(s) }
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%") {
                guard it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) else { return nil }
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a VEX statement's purl (`self`) covers a package's purl: same type, namespace and
    /// name; the version only when the statement gives one; each of the statement's qualifiers
    /// present with the same value (Trivy's rule: a version-less purl covers every version).
    public func covers(_ package: ParsedPackageURL) -> Bool {
        guard type == package.type, name == package.name, (namespace ?? "") == (package.namespace ?? "") else { return false }
        if let version, version != package.version { return false }
        return qualifiers.allSatisfy { package.qualifiers[$0.key] == $0.value }
    }
}
