import VigilCore

/// A package database or release file that could not be understood. The message names the file
/// (and line or record where known).
public struct AnalyzerError: VigilError {
    /// The file (inside the image or root filesystem) that could not be understood.
    public var file: String
    /// What is wrong with it.
    public var message: String

    /// Creates an error about `file`.
    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    /// Always `analyzer.malformed`: every analyzer failure is a file it cannot understand.
    public var code: String { "analyzer.malformed" }

    /// `FILE: message`.
    public var description: String { "\(file): \(message)" }
}
