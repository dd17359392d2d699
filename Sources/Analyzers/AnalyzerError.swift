/// A package database or release file that could not be understood. The message names the file
/// (and line or record where known).
public struct AnalyzerError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var message: String

    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
