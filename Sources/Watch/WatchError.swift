import VigilCore

/// A failure setting up a watch session that the engines below do not already describe.
public struct WatchError: VigilError {
    /// What could not be set up.
    public enum Reason: String, Sendable {
        /// The response actions' audit log.
        case actionsLog = "actions-log"
    }

    /// What could not be set up.
    public var reason: Reason
    /// One line naming the file involved.
    public var description: String

    /// An error for `reason`, described by `description`.
    public init(_ reason: Reason, _ description: String) {
        self.reason = reason
        self.description = description
    }

    /// `watch.<reason>`.
    public var code: String { "watch." + reason.rawValue }
}
