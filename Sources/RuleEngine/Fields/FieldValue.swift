/// A value extracted from an event.
public enum FieldValue: Sendable, Equatable {
    case string(String)
    case number(Int64)
    case bool(Bool)

    /// As Falco prints it in outputs.
    public var text: String {
        switch self {
        case .string(let s): s
        case .number(let n): String(n)
        case .bool(let b): b ? "true" : "false"
        }
    }
}
