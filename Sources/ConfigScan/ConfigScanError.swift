import VigilCore

/// Why a Dockerfile could not be scanned: always one line, `FILE:LINE: message`, so a user can
/// jump straight to the place (the form compilers and BuildKit use).
public struct ConfigScanError: VigilError, Equatable {
    /// What went wrong, in categories a caller can map to exit codes or tests can match; the raw
    /// value is the stable part of ``code``.
    public enum Reason: String, Sendable {
        /// The file could not be read.
        case unreadable
        /// Larger than `ParseOptions.maxBytes`.
        case tooLarge = "too-large"
        /// NUL bytes or invalid UTF-8: not a text file.
        case binary
        /// Dockerfile syntax BuildKit would reject (unknown instruction, bad flag, heredoc, quoting…).
        case syntax
        /// A variable substitution BuildKit would reject, or one that grows past the limits.
        case expansion
    }

    /// The kind of failure.
    public var reason: Reason
    /// The file name as the user gave it.
    public var file: String
    /// 1-based line, or nil when the problem concerns the whole file.
    public var line: Int?
    /// What is wrong there.
    public var message: String

    /// Creates an error about `file` (and `line` when known).
    public init(_ reason: Reason, file: String, line: Int?, _ message: String) {
        self.reason = reason
        self.file = file
        self.line = line
        self.message = message
    }

    /// `config.<reason>`, e.g. `config.syntax`.
    public var code: String { "config." + reason.rawValue }

    /// `FILE:LINE: message`, or `FILE: message` for the whole file.
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
