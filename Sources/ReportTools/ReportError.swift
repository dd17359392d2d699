/// Why a report could not be read or written: one line naming the file (and line where known).
public struct ReportError: Error, Sendable, CustomStringConvertible {
    public var path: String
    /// 1-based line, 0 when not about a position in the file.
    public var line: Int
    public var message: String

    public init(path: String, line: Int = 0, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
}
