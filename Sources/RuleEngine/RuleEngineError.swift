import VigilCore

/// Everything that can go wrong loading, compiling or running rules.
///
/// `description` is one line a user can act on, led by `file:line:column` when the problem is
/// in a rules file.
public struct RuleEngineError: VigilError {
    /// What kind of failure this is; its raw value is the stable part of ``code``.
    public enum Reason: String, Sendable {
        case syntax, load, compile, io, events, output, usage
    }

    /// The kind of failure.
    public var reason: Reason
    /// What went wrong (one line).
    public var message: String
    /// `file:line:column` of the offending item, when known.
    public var location: String?

    /// Creates an error.
    public init(_ reason: Reason, _ message: String, location: String? = nil) {
        self.reason = reason
        self.message = message
        self.location = location
    }

    /// `rules.<reason>`, e.g. `rules.syntax`.
    public var code: String { "rules." + reason.rawValue }

    /// `location: message`, or the message alone.
    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }
}
