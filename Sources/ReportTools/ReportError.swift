import VigilCore

/// Why a report could not be read or written: one line naming the file (and line where known).
public struct ReportError: VigilError {
    /// What kind of failure it was; its raw value is the stable part of ``code``: `unreadable`
    /// (cannot be opened or read, or a directory, FIFO or socket), `tooLarge` (over the limit for
    /// reading a whole report), `malformed` (not JSON, or not shaped like a Trivy report),
    /// `unwritable` (an output file could not be written or renamed into place), `usage` (a bad
    /// option value such as `--category`).
    public enum Reason: String, Sendable {
        case unreadable, tooLarge = "too-large", malformed, unwritable, usage
    }

    /// The kind of failure.
    public var reason: Reason
    /// The file (or option) concerned.
    public var path: String
    /// 1-based line, 0 when not about a position in the file.
    public var line: Int
    /// What is wrong.
    public var message: String

    /// Creates an error; without a reason it is about a malformed report.
    public init(_ reason: Reason = .malformed, path: String, line: Int = 0, message: String) {
        self.reason = reason
        self.path = path
        self.line = line
        self.message = message
    }

    /// `report.<reason>`, e.g. `report.malformed`.
    public var code: String { "report." + reason.rawValue }

    /// `PATH:LINE: message`, or `PATH: message`.
    public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
}
