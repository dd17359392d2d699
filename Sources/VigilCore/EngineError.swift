/// The reasons one engine fails for. The raw values are the stable second half of the error's
/// code, `domain` the first (`image` + `path-traversal` → `image.path-traversal`).
public protocol ErrorReason: RawRepresentable, Hashable, Sendable where RawValue == String {
    /// The engine's part of the code (`image`, `registry`, `rules`).
    static var domain: String { get }
}

/// The error most engines throw: a reason from the engine's list and one line a user can act on
/// (naming the file, layer, line or reference), optionally after a location (`rules.yaml:12`).
/// Each engine names its own: `public typealias RegistryError = EngineError<RegistryFailure>`,
/// so catch sites and `RegistryError(.notFound, "…")` read as before and there is one
/// implementation of the code and the line.
public struct EngineError<Reason: ErrorReason>: VigilError, Equatable {
    /// Why it failed.
    public var reason: Reason
    /// What the user can act on (one line).
    public var message: String
    /// Where, when known (a file and line): printed before the message.
    public var location: String?

    /// An error for `reason`, described by `message`, at `location` when given.
    public init(_ reason: Reason, _ message: String, location: String? = nil) {
        self.reason = reason
        self.message = message
        self.location = location
    }

    /// `<domain>.<reason>`, e.g. `registry.not-found`.
    public var code: String { Reason.domain + "." + reason.rawValue }

    /// `location: message`, or the message alone.
    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }
}
