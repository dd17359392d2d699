/// Turns raw bytes into Dockerfile lines, refusing what is not a text file.
enum DockerfileSource {
    /// Splits `bytes` into lines (LF or CRLF; no final empty line after a trailing newline, as
    /// BuildKit's line scanner does), strips a UTF-8 byte-order mark, and rejects NUL bytes and
    /// invalid UTF-8 with the line where they occur.
    static func lines(_ bytes: [UInt8], file: String, maxBytes: Int) throws(ConfigScanError) -> [String] {
        if bytes.count > maxBytes {
            throw ConfigScanError(.tooLarge, file: file, line: nil,
                                  "\(bytes.count) bytes is larger than the \(maxBytes)-byte limit for a Dockerfile")
        }
        var out: [String] = []
        out.reserveCapacity(bytes.count / 32 + 1)
        return try bytes.withUnsafeBufferPointer { (buf) throws(ConfigScanError) -> [String] in
            var start = 0
            if buf.count >= 3, buf[0] == 0xEF, buf[1] == 0xBB, buf[2] == 0xBF { start = 3 }
            var lineNumber = 1
            while start < buf.count {
                var end = start
                while end < buf.count, buf[end] != 0x0A {
                    if buf[end] == 0 {
                        throw ConfigScanError(.binary, file: file, line: lineNumber, "NUL byte: binary data, not a Dockerfile")
                    }
                    end += 1
                }
                var stop = end
                if stop > start, buf[stop - 1] == 0x0D { stop -= 1 }
                guard let line = String(validating: UnsafeBufferPointer(rebasing: buf[start..<stop]), as: UTF8.self) else {
                    throw ConfigScanError(.binary, file: file, line: lineNumber, "invalid UTF-8: not a text Dockerfile")
                }
                out.append(line)
                start = end + 1
                lineNumber += 1
            }
            return out
        }
    }
}
