#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small POSIX file helpers, so event and rule files are read without Foundation.
public enum FileIO {
    /// Why a file could not be read or written.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Reads a whole file.
    public static func read(_ path: String) throws(Failure) -> [UInt8] {
        guard let f = fopen(path, "rb") else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { out.append(contentsOf: buffer[0..<n]) }
            if n < buffer.count {
                if ferror(f) != 0 { throw Failure(path: path, reason: "read error") }
                break
            }
        }
        return out
    }

    /// Reads a whole file as UTF-8 text.
    public static func readText(_ path: String) throws(Failure) -> String {
        String(decoding: try read(path), as: UTF8.self)
    }

    /// Writes (or appends to) a file.
    public static func write(_ bytes: [UInt8], to path: String, append: Bool = false) throws(Failure) {
        guard let f = fopen(path, append ? "ab" : "wb") else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        defer { fclose(f) }
        let n = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        if n != bytes.count { throw Failure(path: path, reason: "short write") }
    }
}

/// Reads a file line by line through one reusable buffer.
public final class LineReader {
    private let file: UnsafeMutablePointer<FILE>
    private let isStandardInput: Bool
    private var buffer: UnsafeMutableBufferPointer<UInt8>
    private var start = 0
    private var end = 0
    private var eof = false
    private var closed = false
    /// 1-based number of the line last returned.
    public private(set) var lineNumber = 0

    public init(path: String) throws(FileIO.Failure) {
        isStandardInput = path == "-"
        guard let f = isStandardInput ? fdopen(0, "rb") : fopen(path, "rb") else {
            throw FileIO.Failure(path: path, reason: String(cString: strerror(errno)))
        }
        file = f
        buffer = .allocate(capacity: 1 << 20)
    }

    deinit {
        close()
        buffer.deallocate()
    }

    public func close() {
        if !isStandardInput && !closed { fclose(file) }
        closed = true
    }

    /// The next line (without its newline), valid until the next call; nil at end of file.
    public func nextLine() -> UnsafeBufferPointer<UInt8>? {
        while true {
            if start < end, let hit = memchr(buffer.baseAddress! + start, 0x0A, end - start) {
                let nl = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - UnsafePointer(buffer.baseAddress!)
                let line = UnsafeBufferPointer(rebasing: buffer[start..<nl])
                start = nl + 1
                lineNumber += 1
                return line
            }
            if eof {
                guard start < end else { return nil }
                let line = UnsafeBufferPointer(rebasing: buffer[start..<end])
                start = end
                lineNumber += 1
                return line
            }
            fill()
        }
    }

    private func fill() {
        if start > 0 {
            let remaining = end - start
            if remaining > 0 { _ = memmove(buffer.baseAddress!, buffer.baseAddress! + start, remaining) }
            start = 0
            end = remaining
        }
        if end == buffer.count {
            // a line longer than the buffer: double it
            let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count * 2)
            _ = memcpy(bigger.baseAddress!, buffer.baseAddress!, end)
            buffer.deallocate()
            buffer = bigger
        }
        let n = fread(buffer.baseAddress! + end, 1, buffer.count - end, file)
        if n == 0 { eof = true }
        end += n
    }
}
