import VigilCore

/// Why `vigil db update` stopped. The previous database is untouched whenever one of these is thrown.
public struct FeedUpdateError: VigilError {
    /// What kind of failure it was; its raw value is the stable part of ``code``.
    public enum Reason: String, Sendable {
        /// The feeds config is unreadable or malformed.
        case config
        /// A download failed: unreachable host, HTTP error status, transfer cut short.
        case network
        /// A local file or directory could not be read or written.
        case io
        /// Downloaded data is not what the feed should hold (wrong format, too large, empty).
        case validation
        /// Another update holds the lock for longer than the caller would wait.
        case locked
    }

    /// The kind of failure.
    public var reason: Reason
    /// What the user can act on: names the feed, URL or file.
    public var message: String

    /// Creates an error.
    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    /// `db-update.<reason>`, e.g. `db-update.locked`.
    public var code: String { "db-update." + reason.rawValue }

    /// The message (one line).
    public var description: String { message }
}
