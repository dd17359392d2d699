import VigilCore

/// What can go wrong delivering alerts: a bad destination, the spool directory, the network.
public typealias AlertDeliveryError = EngineError<AlertDeliveryFailure>

/// What kind of failure it was; its raw value is the stable part of ``code``.
public enum AlertDeliveryFailure: String, ErrorReason {
    /// A malformed destination (`--webhook`, `--syslog-address`, spool options).
    case usage
    /// The spool directory or its files.
    case spool
    /// Connecting, sending or the receiver's answer.
    case network

    /// `alert.<reason>`.
    public static let domain = "alert"
}
