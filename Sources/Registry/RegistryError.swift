import VigilCore

/// A registry failure a user can act on. Never contains credentials or tokens.
public typealias RegistryError = EngineError<RegistryFailure>

/// What kind of failure it was; its raw value is the stable part of ``code``.
public enum RegistryFailure: String, ErrorReason {
    case invalidReference = "invalid-reference", notFound = "not-found", unauthorized, rateLimited = "rate-limited"
    case digestMismatch = "digest-mismatch", network, server, unsupported, io, noPlatform = "no-platform"

    /// `registry.<reason>`.
    public static let domain = "registry"
}
