import VigilCore

/// Where events come from: a recording (`EventReplay`) or the live kernel sensor. Both rebuild
/// the same process and descriptor state, so rules see the same thing live and in replay.
public protocol EventSource {
    /// The process table as of the event last returned.
    var state: SystemState { get }
    /// The next event with state applied, or nil at the end of the stream (or on shutdown).
    mutating func next() throws(EventSourceError) -> Event?
}

/// A source failing: a malformed recording line, a kernel sensor error.
public struct EventSourceError: VigilError {
    /// `FILE:LINE` for recordings, the sensor's name for live sources.
    public var location: String
    /// What failed.
    public var message: String
    /// The code of the failure underneath (`events.invalid-event` for a bad recording line).
    public var code: String

    /// Creates an error; `code` is the underlying failure's when there is one.
    public init(location: String, message: String, code: String = "events.source-failed") {
        self.location = location
        self.message = message
        self.code = code
    }

    public var description: String { "\(location): \(message)" }
}
