import Foundation

/// Reports are written whole or not at all: a temp file beside the target, renamed into place.
/// A target that exists and is not a regular file — `/dev/null`, `/dev/stdout`, a FIFO, a
/// symbolic link — is written through instead, as Trivy does: renaming onto it would replace the
/// device or the link with a plain file.
enum OutputFile {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        var info = stat()
        if lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            try writeThrough(text, to: path)
            return
        }
        let temp = path + ".vigil-tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temp, contents: Data(text.utf8)) else {
            throw CLIError("\(path): cannot write report")
        }
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temp)
            throw CLIError("\(path): cannot write report (\(reason))")
        }
    }

    private static func writeThrough(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CLIError("\(path): cannot write report (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        var bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw CLIError("\(path): cannot write report (\(String(cString: strerror(errno))))") }
            done += n
        }
        bytes.removeAll()
    }
}
