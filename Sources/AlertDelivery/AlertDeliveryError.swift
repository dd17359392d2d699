/// What can go wrong delivering alerts: a bad destination, the spool directory, the network.
public struct AlertDeliveryError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// A malformed destination (`--webhook`, `--syslog-address`, spool options).
        case usage
        /// The spool directory or its files.
        case spool
        /// Connecting, sending or the receiver's answer.
        case network
    }

    public var code: Code
    public var message: String
    /// The URL, address or path concerned.
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
