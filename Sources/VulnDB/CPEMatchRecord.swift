import Versioning

/// One vulnerable NVD CPE match criterion: an upstream product (`gnu:bash`) and the versions of
/// it a CVE affects, for software that no package manager installed.
///
/// NVD writes either an exact version in the CPE name (`cpe:2.3:a:gnu:bash:4.3:*:…`) or `*`
/// with `versionStart…`/`versionEnd…` bounds; both are kept.
public struct CPEMatchRecord: Hashable, Sendable {
    public var vulnerabilityID: String
    /// `a` (application), `o` (operating system) or `h` (hardware).
    public var part: String
    /// CPE vendor and product, unescaped and lower-cased (`gnu`, `bash`).
    public var vendor: String
    public var product: String
    /// The CPE version field: a version, `*` (any) or `-` (not applicable).
    public var version: String
    /// The CPE update field (`p1`, `rc2`), `*` or `-`.
    public var update: String
    public var versionStartIncluding: String?
    public var versionStartExcluding: String?
    public var versionEndIncluding: String?
    public var versionEndExcluding: String?
    /// True when the configuration that holds this criterion also requires another product
    /// (an AND node: "bash … running on …"); the match alone is then only a candidate.
    public var requiresOtherProduct: Bool
    /// The full `cpe:2.3:` criterion as NVD wrote it.
    public var criteria: String

    public init(vulnerabilityID: String, part: String, vendor: String, product: String, version: String, update: String = "*",
                versionStartIncluding: String? = nil, versionStartExcluding: String? = nil,
                versionEndIncluding: String? = nil, versionEndExcluding: String? = nil,
                requiresOtherProduct: Bool = false, criteria: String) {
        self.vulnerabilityID = vulnerabilityID
        self.part = part
        self.vendor = vendor
        self.product = product
        self.version = version
        self.update = update
        self.versionStartIncluding = versionStartIncluding
        self.versionStartExcluding = versionStartExcluding
        self.versionEndIncluding = versionEndIncluding
        self.versionEndExcluding = versionEndExcluding
        self.requiresOtherProduct = requiresOtherProduct
        self.criteria = criteria
    }

    /// Whether `candidate` (an upstream version such as `4.3` or `1.0.1f`) is inside this
    /// criterion, compared with ``UpstreamVersion``.
    ///
    /// An exact CPE version must compare equal; `*` with no bounds matches every version; `-`
    /// ("not applicable") matches nothing versioned.
    public func contains(version candidate: String) -> Bool {
        func cmp(_ a: String, _ b: String) -> Int { UpstreamVersion.compare(a, b) }
        switch version {
        case "-":
            return false
        case "*", "":
            break
        default:
            guard cmp(candidate, version) == 0 else { return false }
        }
        if let start = versionStartIncluding, cmp(candidate, start) < 0 { return false }
        if let start = versionStartExcluding, cmp(candidate, start) <= 0 { return false }
        if let end = versionEndIncluding, cmp(candidate, end) > 0 { return false }
        if let end = versionEndExcluding, cmp(candidate, end) >= 0 { return false }
        return true
    }
}

/// The CPE 2.3 formatted-string binding (NIST IR 7695 §6.2): `cpe:2.3:part:vendor:product:version:update:…`.
public struct CPEName: Hashable, Sendable {
    /// The eleven attributes after `cpe:2.3:`, unescaped, in order: part, vendor, product,
    /// version, update, edition, language, sw_edition, target_sw, target_hw, other.
    public var attributes: [String]

    public var part: String { attributes[0] }
    public var vendor: String { attributes[1] }
    public var product: String { attributes[2] }
    public var version: String { attributes[3] }
    public var update: String { attributes[4] }

    /// A name from its eleven attribute values (`*` ANY, `-` NA); nil unless there are eleven.
    public init?(attributes: [String]) {
        guard attributes.count == 11 else { return nil }
        self.attributes = attributes
    }

    /// Parses a formatted string; nil unless it has the `cpe:2.3:` prefix and exactly eleven
    /// attributes. Backslash escapes (`\:` inside a product name, `\.`) are removed; `*` and
    /// `-` stay as the logical values ANY and NA.
    public init?(_ text: String) {
        guard text.hasPrefix("cpe:2.3:") else { return nil }
        var fields: [String] = []
        var current: [UInt8] = []
        var escaped = false
        for byte in text.utf8.dropFirst("cpe:2.3:".utf8.count) {
            if escaped {
                current.append(byte)
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: ":") {
                fields.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(byte)
            }
        }
        guard !escaped else { return nil }
        fields.append(String(decoding: current, as: UTF8.self))
        guard fields.count == 11, ["a", "o", "h", "*"].contains(fields[0]), !fields[1].isEmpty, !fields[2].isEmpty
        else { return nil }
        attributes = fields
    }
}
