import VigilCore

/// A version string (or a version range) that its ecosystem's package manager would reject.
///
/// Thrown by the version types' initializers (``DpkgVersion/init(_:)``, ``NpmVersion/init(_:)``…)
/// and by the range types' (``NpmRange/init(_:includePrerelease:)``, ``VersionScheme/range(_:)``…).
/// ``VersionComparator`` never throws it: it orders malformed strings instead.
public struct VersionError: VigilError {
    /// The ecosystem whose rules the input broke.
    public let scheme: VersionScheme
    /// The version string exactly as it was given.
    public let input: String
    /// What is wrong with it, in a few words (`empty upstream version`).
    public let reason: String
    /// Whether the input was a single version or a range.
    public let subject: Subject

    /// What the rejected input was meant to be.
    public enum Subject: String, Sendable {
        /// A single version (`1.2.3`).
        case version
        /// A range in the ecosystem's own syntax (`^1.2 || >=2.0.0-beta`).
        case range
    }

    /// Creates an error for `input`, which `scheme`'s rules reject because of `reason`.
    public init(scheme: VersionScheme, input: String, reason: String, subject: Subject = .version) {
        self.scheme = scheme
        self.input = input
        self.reason = reason
        self.subject = subject
    }

    /// `version.invalid-version` or `version.invalid-range`.
    public var code: String { "version.invalid-" + subject.rawValue }

    /// One line naming the scheme, the input and the reason:
    /// `invalid dpkg version '1:': empty upstream version`,
    /// `invalid npm range '^1.2.3-01': invalid comparator '^1.2.3-01'`.
    public var description: String {
        "invalid \(scheme.rawValue) \(subject.rawValue) '\(input)': \(reason)"
    }
}
