/// One byte pattern that carries a program's version inside its binary, as syft's binary
/// classifiers read them: a literal next to the version (`X-Powered-By: PHP/8.2.36`,
/// `10.11.19-MariaDB`) and the shape the version must have.
struct VersionEvidence: Sendable {
    /// Where the literal sits relative to the version.
    enum Anchor: Sendable {
        /// The version follows the literal (`nginx/1.22.1`).
        case before
        /// The version ends where the literal starts (`10.11.19-MariaDB`).
        case after
        /// No literal: a NUL-delimited `x.y.z` string that a build-id string (`x.y.z` followed by
        /// 8+ more `[0-9a-z-]`) confirms, which is how redis-server embeds its version.
        case buildID
    }

    var literal: [UInt8]
    var anchor: Anchor = .before
    /// The version must start with these bytes (`5.` for perl's `v5.36.0`).
    var head: [UInt8] = []
    /// The version must start with the `X.Y` in the file's name (`python3.11` → `3.11.`).
    var headFromName = false
    /// Fewest dot-separated numeric components (`Apache/2` is a server token, not a version).
    var minComponents = 3
    /// Allows one trailing lower-case letter (OpenSSL's `1.1.1w`).
    var letterSuffix = false
    /// Bytes allowed right after the version; empty means any byte that cannot continue it.
    var terminators: [UInt8] = []
    /// A literal that must follow the version before the next NUL (haproxy's `, released `).
    var confirm: [UInt8] = []

    init(_ literal: String, anchor: Anchor = .before, head: String = "", headFromName: Bool = false, minComponents: Int = 3,
         letterSuffix: Bool = false, terminators: String = "", confirm: String = "") {
        self.literal = Array(literal.utf8)
        self.anchor = anchor
        self.head = Array(head.utf8)
        self.headFromName = headFromName
        self.minComponents = minComponents
        self.letterSuffix = letterSuffix
        self.terminators = Array(terminators.utf8)
        self.confirm = Array(confirm.utf8)
    }
}
