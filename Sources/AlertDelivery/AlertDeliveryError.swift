import VigilCore

/// What can go wrong delivering alerts: a bad destination, the spool directory, the network.
public struct AlertDeliveryError: VigilError {
    /// What kind of failure it was; its raw value is the stable part of ``code``.
    public enum Reason: String, Sendable {
        /// A malformed destination (`--webhook`, `--syslog-address`, spool options).
        case usage
        /// The spool directory or its files.
        case spool
        /// Connecting, sending or the receiver's answer.
        case network
    }

    /// The kind of failure.
    public var reason: Reason
    /// What went wrong (one line).
    public var message: String
    /// The URL, address or path concerned.
    public var location: String?

    /// Creates an error.
    public init(_ reason: Reason, _ message: String, location: String? = nil) {
        self.reason = reason
        self.message = message
        self.location = location
    }

    /// `alert.<reason>`, e.g. `alert.network`.
    public var code: String { "alert." + reason.rawValue }

    /// `location: message`, or the message alone.
    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }
}
