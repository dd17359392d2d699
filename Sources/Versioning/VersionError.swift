/// A version string that its ecosystem's package manager would reject.
///
/// Thrown by ``DpkgVersion/init(_:)``, ``ApkVersion/init(_:)`` and ``RpmVersion/init(_:)``.
/// ``VersionComparator`` never throws it: it orders malformed strings instead.
public struct VersionError: Error, Sendable, CustomStringConvertible {
    /// The ecosystem whose rules the input broke.
    public let scheme: VersionScheme
    /// The version string exactly as it was given.
    public let input: String
    /// What is wrong with it, in a few words (`empty upstream version`).
    public let reason: String

    /// Creates an error for `input`, which `scheme`'s rules reject because of `reason`.
    public init(scheme: VersionScheme, input: String, reason: String) {
        self.scheme = scheme
        self.input = input
        self.reason = reason
    }

    /// One line naming the scheme, the input and the reason:
    /// `invalid dpkg version '1:': empty upstream version`.
    public var description: String {
        "invalid \(scheme.rawValue) version '\(input)': \(reason)"
    }
}
