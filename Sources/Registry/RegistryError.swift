import VigilCore

/// A registry failure a user can act on. Never contains credentials or tokens.
public struct RegistryError: VigilError {
    /// What kind of failure it was; its raw value is the stable part of ``code``.
    public enum Reason: String, Sendable {
        case invalidReference = "invalid-reference", notFound = "not-found", unauthorized, rateLimited = "rate-limited"
        case digestMismatch = "digest-mismatch", network, server, unsupported, io, noPlatform = "no-platform"
    }

    /// The kind of failure.
    public var reason: Reason
    /// One line naming the reference, host or file.
    public var message: String

    /// Creates an error.
    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    /// `registry.<reason>`, e.g. `registry.not-found`.
    public var code: String { "registry." + reason.rawValue }

    /// The message (one line).
    public var description: String { message }
}
