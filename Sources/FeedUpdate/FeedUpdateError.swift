import VigilCore

/// Why `vigil db update` stopped. The previous database is untouched whenever one of these is thrown.
public typealias FeedUpdateError = EngineError<FeedUpdateFailure>

/// What kind of failure it was; its raw value is the stable part of ``code``.
public enum FeedUpdateFailure: String, ErrorReason {
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

    /// `db-update.<reason>`.
    public static let domain = "db-update"
}
