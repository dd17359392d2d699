/// Everything that can go wrong loading, compiling or running rules.
///
/// `description` is one line a user can act on, led by `file:line:column` when the problem is
/// in a rules file.
public struct RuleEngineError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable {
        case syntax
        case load
        case compile
        case io
        case events
        case output
        case usage
    }

    public var code: Code
    public var message: String
    /// `file:line:column` of the offending item, when known.
    public var location: String?

    public init(_ code: Code, _ message: String, location: String? = nil) {
        self.code = code
        self.message = message
        self.location = location
    }

    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }
}
