import VigilCore

/// Why a report could not be read or written: one line naming the file (and line where known).
public struct ReportError: VigilError {
    /// What kind of failure it was; its raw value is the stable part of ``code``.
    public enum Reason: String, Sendable {
        /// The file cannot be opened, read, or is not a file (a directory, FIFO, socket).
        case unreadable
        /// Larger than the limit for reading a whole report.
        case tooLarge = "too-large"
        /// Not JSON, or not shaped like a Trivy report.
        case malformed
        /// An output file could not be written or renamed into place.
        case unwritable
        /// A bad option value (`--category`).
        case usage
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
