/// Where events come from: a recording (`EventReplay`) or the live kernel sensor. Both rebuild
/// the same process and descriptor state, so rules see the same thing live and in replay.
public protocol EventSource {
    /// The process table as of the event last returned.
    var state: SystemState { get }
    /// The next event with state applied, or nil at the end of the stream (or on shutdown).
    mutating func next() throws(EventSourceError) -> Event?
}

/// A source failing: a malformed recording line, a kernel sensor error.
public struct EventSourceError: Error, Sendable, CustomStringConvertible {
    /// `FILE:LINE` for recordings, the sensor's name for live sources.
    public var location: String
    public var message: String

    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}
