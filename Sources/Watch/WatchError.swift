import VigilCore

/// A failure setting up a watch session that the engines below do not already describe.
public typealias WatchError = EngineError<WatchFailure>

/// What could not be set up.
public enum WatchFailure: String, ErrorReason {
    /// The response actions' audit log.
    case actionsLog = "actions-log"

    /// `watch.<reason>`.
    public static let domain = "watch"
}
