import VigilCore

/// What can go wrong starting or running `vigil server`: a bad option, PostgreSQL, migrations,
/// a request the API refuses. Never carries a token or a password.
public struct ServerError: VigilError {
    /// Why it failed; `code` is `server.<reason>`.
    public enum Reason: String, Sendable {
        /// A malformed option (`--postgres`, `--listen`, a scope name).
        case usage
        /// PostgreSQL refused or could not be reached.
        case database
        /// The schema in the database is newer than this binary or a migration failed.
        case migration
        /// Binding the listening socket or serving failed.
        case listen
        /// A request body the API cannot store (HTTP 400).
        case badRequest = "bad-request"
    }

    public var reason: Reason
    public var message: String
    /// The option, URL (without password) or request item concerned.
    public var location: String?

    public init(_ reason: Reason, _ message: String, location: String? = nil) {
        self.reason = reason
        self.message = message
        self.location = location
    }

    public var code: String { "server.\(reason.rawValue)" }

    public var exitCode: Int32 { reason == .usage ? 64 : 1 }

    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }
}
