/// One event of Vigil's event stream: what the sensor writes and replay reads (docs/events.md).
///
/// Process fields are a snapshot the source may or may not fill; replay merges them into the
/// process table, and rules read process information from the table.
public struct Event: Sendable {
    @usableFromInline var storage: Storage

    @inline(__always) @usableFromInline
    mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    /// Whether the event sets any process field (so the process table has something to merge).
    public var carriesProcess: Bool { storage.carriesProcess }

    public init() { storage = Storage() }

    /// An event over storage a decoder filled (and no one else holds).
    @usableFromInline
    init(storage: Storage) { self.storage = storage }

    public init(type: String, pid: Int64) {
        storage = Storage()
        self.type = EventType(name: type)
        self.pid = pid
    }
}
