import VigilCore

/// A user-facing error from the command layer (a flag combination the parser cannot check, a
/// path that is not what a command needs).
struct CLIError: VigilError {
    var description: String
    init(_ message: String) { description = message }

    /// One code for every command-layer error; the message says which.
    var code: String { "cli.invalid-argument" }
}
