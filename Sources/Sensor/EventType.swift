/// A kernel event type with Falco's name (`execve`, `openat`, `renameat2`, …) and a small code
/// used to index rules.
public struct EventType: Sendable, Hashable, CustomStringConvertible {
    /// Index into `EventType.known`; 0 for names Vigil does not know.
    public private(set) var code: UInt16
    /// What the event does, for state tracking and fields (stored: read by most field extractors).
    public let kind: EventKind
    /// The name when it is not one of `known` (nil for known names, which need no storage).
    private var otherName: String?

    public init(name: String) {
        if let c = EventType.codes[name] {
            code = c
            otherName = nil
        } else {
            code = 0
            otherName = name == "<unknown>" ? nil : name
        }
        kind = EventType.kinds[Int(code)]
    }

    /// A known type by its code (`1..<known.count`).
    @inline(__always)
    public init(code: UInt16) {
        self.code = code
        otherName = nil
        kind = EventType.kinds[Int(code)]
    }

    public static let unknown = EventType(code: 0)

    public var name: String { otherName ?? EventType.known[Int(code)] }

    /// Whether this is the replay format's `state` line (a process-table seed, not an event).
    @inline(__always)
    public var isStateSeed: Bool { code == 0 && otherName == "state" }

    public var description: String { name }

    static let codes: [String: UInt16] = {
        var d: [String: UInt16] = [:]
        for (i, n) in known.enumerated() where i > 0 { d[n] = UInt16(i) }
        return d
    }()
}
