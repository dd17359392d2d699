/// Why a Dockerfile could not be scanned: always one line, `FILE:LINE: message`, so a user can
/// jump straight to the place (the form compilers and BuildKit use).
public struct ConfigScanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in categories a caller can map to exit codes or tests can match.
    public enum Code: String, Sendable {
        /// The file could not be read.
        case unreadable
        /// Larger than `ParseOptions.maxBytes`.
        case tooLarge
        /// NUL bytes or invalid UTF-8: not a text file.
        case binary
        /// Dockerfile syntax BuildKit would reject (unknown instruction, bad flag, heredoc, quoting…).
        case syntax
        /// A variable substitution BuildKit would reject, or one that grows past the limits.
        case expansion
    }

    public var code: Code
    /// The file name as the user gave it.
    public var file: String
    /// 1-based line, or nil when the problem concerns the whole file.
    public var line: Int?
    public var message: String

    public init(_ code: Code, file: String, line: Int?, _ message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
