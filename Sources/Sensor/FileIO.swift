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
public struct LineReader {
    private let file: UnsafeMutablePointer<FILE>
    private let isStandardInput: Bool
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var eof = false
    /// 1-based number of the line last returned.
    public private(set) var lineNumber = 0

    public init(path: String) throws(FileIO.Failure) {
        isStandardInput = path == "-"
        guard let f = isStandardInput ? fdopen(0, "rb") : fopen(path, "rb") else {
            throw FileIO.Failure(path: path, reason: String(cString: strerror(errno)))
        }
        file = f
        buffer = [UInt8](repeating: 0, count: 1 << 20)
    }

    public func close() {
        if !isStandardInput { fclose(file) }
    }

    /// Calls `body` with the next line (without its newline); false at end of file.
    public mutating func next<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        while true {
            if let nl = findNewline() {
                let r = try buffer.withUnsafeBufferPointer { p in
                    try body(UnsafeBufferPointer(rebasing: p[start..<nl]))
                }
                start = nl + 1
                lineNumber += 1
                return r
            }
            if eof {
                guard start < end else { return nil }
                let r = try buffer.withUnsafeBufferPointer { p in
                    try body(UnsafeBufferPointer(rebasing: p[start..<end]))
                }
                start = end
                lineNumber += 1
                return r
            }
            fill()
        }
    }

    private func findNewline() -> Int? {
        buffer.withUnsafeBufferPointer { p -> Int? in
            guard start < end, let base = p.baseAddress else { return nil }
            guard let hit = memchr(base + start, 0x0A, end - start) else { return nil }
            return UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
        }
    }

    private mutating func fill() {
        if start > 0 {
            let remaining = end - start
            if remaining > 0 {
                buffer.withUnsafeMutableBytes { p in
                    _ = memmove(p.baseAddress!, p.baseAddress! + start, remaining)
                }
            }
            start = 0
            end = remaining
        }
        if end == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
        let n = buffer.withUnsafeMutableBytes { p in fread(p.baseAddress! + end, 1, p.count - end, file) }
        if n == 0 { eof = true }
        end += n
    }
}
