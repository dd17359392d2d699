import VigilCore

/// Reads a JSON-lines recording event by event, numbering events and rebuilding process and
/// descriptor state as it goes (deterministically: nothing depends on the clock or the host).
public struct EventReplay: EventSource {
    private var reader: LineReader
    public private(set) var state: SystemState
    /// The previous event, retired (exits removed) when the next one is read.
    private var pendingRetire: (pid: Int64, isExit: Bool)?
    private var count: UInt64 = 0
    private let strings = StringCache()
    /// The storage of the event returned last: decoded into again once nothing else holds it
    /// (an allocation, a zeroing and a teardown fewer per event).
    private var spare: Event.Storage?
    public let path: String

    public init(path: String, hostname: String = "localhost") throws(FileIO.Failure) {
        self.path = path
        reader = try LineReader(path: path)
        state = SystemState(hostname: hostname)
    }

    /// Line of the event last returned.
    public var lineNumber: Int { reader.lineNumber }

    public func close() { reader.close() }

    /// The next event with state applied; nil at the end. Errors carry `file:line`.
    public mutating func next() throws(EventSourceError) -> Event? {
        do { return try nextEvent() } catch {
            throw EventSourceError(location: "\(error.path):\(error.line)", message: "invalid event: \(error.message)", code: error.code)
        }
    }

    /// `next()` with the recording's own error type.
    public mutating func nextEvent() throws(EventReplayError) -> Event? {
        if let prev = pendingRetire {
            if prev.isExit { state.retire(pid: prev.pid) }
            pendingRetire = nil
        }
        while true {
            guard let line = reader.nextLine() else {
                if reader.overlongLine {
                    throw EventReplayError(path: path, line: reader.lineNumber, message: "line longer than the \(LineReader.maximumLineLength >> 20) MiB limit")
                }
                return nil
            }
            var decoded: Event?
            // handed over, not kept: a reference left here would make the event's first write copy it
            let reusable = isKnownUniquelyReferenced(&spare)
            do { decoded = try EventDecoder.decode(line, cache: strings, reusing: reusable ? spare.take() : nil) } catch {
                throw EventReplayError(path: path, line: reader.lineNumber, message: error.description)
            }
            // taken, not copied: a second reference would make the next write copy the storage
            guard var e = decoded.take() else { continue }
            if e.type.isStateSeed {
                // a process-table seed written by the live sensor: state only, not an event
                state.apply(&e)
                continue
            }
            count += 1
            e.num = count
            state.apply(&e)
            pendingRetire = (e.pid, e.type.kind == .exit)
            spare = e.storage
            return e
        }
    }
}

/// A malformed line in an events file.
public struct EventReplayError: VigilError {
    /// The recording.
    public var path: String
    /// 1-based line of the bad event.
    public var line: Int
    /// What is wrong with it.
    public var message: String
    /// Always `events.invalid-event`.
    public var code: String { "events.invalid-event" }
    public var description: String { "\(path):\(line): invalid event: \(message)" }
}
