import SystemIO

/// Reads a whole Dockerfile with a size limit checked before anything is read (SystemIO's
/// `WholeFile`), worded as ConfigScan's errors.
enum FileReader {
    static func read(_ path: String, maxBytes: Int) throws(ConfigScanError) -> [UInt8] {
        do {
            return try WholeFile.read(path, limit: maxBytes)
        } catch {
            switch error.reason {
            case .open:
                throw ConfigScanError(.unreadable, file: path, line: nil, "cannot open: \(error.systemMessage)")
            case .stat:
                throw ConfigScanError(.unreadable, file: path, line: nil, "cannot stat: \(error.systemMessage)")
            case .notAFile where error.kind == .directory:
                throw ConfigScanError(.unreadable, file: path, line: nil, "is a directory, not a Dockerfile")
            case .notAFile:
                throw ConfigScanError(.unreadable, file: path, line: nil, "is a FIFO or socket, not a regular file")
            case .tooLarge:
                if let size = error.size {
                    throw ConfigScanError(.tooLarge, file: path, line: nil,
                                          "\(size) bytes is larger than the \(maxBytes)-byte limit for a Dockerfile")
                }
                throw ConfigScanError(.tooLarge, file: path, line: nil, "larger than the \(maxBytes)-byte limit for a Dockerfile")
            case .read, .write, .rename:
                throw ConfigScanError(.unreadable, file: path, line: nil, "read failed: \(error.systemMessage)")
            }
        }
    }
}
