/// Errors raised while evaluating a jq program.
public enum JQError: Error {
    /// `error(v)` or a built-in failure; the payload is the error value (usually a message string).
    case runtime(Value)
    /// `break $label` unwinding to the label with this id.
    case breakOut(Int)
    /// `halt` / `halt_error`.
    case halt(Int32, Value?)

    public static func msg(_ s: String) -> JQError { .runtime(.string(s)) }

    /// The message jq prints for an uncaught error.
    public var messageText: String {
        switch self {
        case .runtime(let v):
            switch v {
            case .string(let s): return s
            case .object, .array:
                return "\(v.jsonText) (not a string)"
            default: return "\(v.jsonText) (not a string)"
            }
        case .breakOut: return "break"
        case .halt: return "halt"
        }
    }
}

/// An error thrown by the consumer of a `try` body's outputs, passed through untouched.
final class DownstreamError: Error {
    let inner: any Error
    let owner: AnyObject
    init(_ inner: any Error, owner: AnyObject) { self.inner = inner; self.owner = owner }
}

final class TryToken {}

/// jq's truncated value dump used in error messages (at most ~28 bytes, cut at a codepoint).
func errDump(_ v: Value) -> String {
    let s = v.jsonText
    let u = Array(s.utf8)
    if u.count <= 29 { return s }
    var n = 26
    if case .string = v { n = 25 }
    while n > 0 && (u[n] & 0xC0) == 0x80 { n -= 1 }
    if case .string = v { return String(decoding: u[..<n], as: UTF8.self) + "...\"" }
    return String(decoding: u[..<n], as: UTF8.self) + "..."
}

func typeDump(_ v: Value) -> String { "\(v.typeName) (\(errDump(v)))" }
