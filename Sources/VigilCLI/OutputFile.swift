import Foundation
import SystemIO

/// Reports are written whole or not at all (`SystemIO.AtomicFile`: a temp file beside the target,
/// renamed into place). A target that exists and is not a regular file — `/dev/null`,
/// `/dev/stdout`, a FIFO, a symbolic link — is written through instead, as Trivy does: renaming
/// onto it would replace the device or the link with a plain file.
enum OutputFile {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try AtomicFile.write(Array(text.utf8), to: path)
        } catch {
            throw CLIError("\(path): cannot write report (\(error.systemMessage))")
        }
    }
}
