#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemRead = Glibc.read
#else
private let systemRead = Darwin.read
#endif

/// Small POSIX file helpers, so event and rule files are read without Foundation.
public enum FileIO {
    /// Why a file could not be read or written.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Largest file `read` accepts by default (rules files: Falco's own rules are ~200 KB).
    public static let defaultMaximumSize = 16 << 20

    /// Reads a whole file of at most `maxBytes` bytes. Directories, FIFOs and sockets are
    /// refused (a FIFO with no writer would block forever); devices and growing files stop at
    /// the limit (`/dev/zero` would otherwise be read until memory runs out).
    public static func read(_ path: String, maxBytes: Int = defaultMaximumSize) throws(Failure) -> [UInt8] {
        // O_NONBLOCK so that opening a FIFO returns at once; fstat then refuses it.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        if let refused = refusal(mode: st.st_mode, allowFIFO: false) { throw Failure(path: path, reason: refused) }
        if (st.st_mode & S_IFMT) == S_IFREG, Int(st.st_size) > maxBytes {
            throw Failure(path: path, reason: "\(st.st_size) bytes is more than the \(maxBytes >> 20) MiB limit")
        }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw Failure(path: path, reason: "read failed (\(String(cString: strerror(errno))))")
            }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<n])
            if out.count > maxBytes { throw Failure(path: path, reason: "more than the \(maxBytes >> 20) MiB limit") }
        }
        return out
    }

    /// Why a file of this type cannot be read as a whole file or stream, nil when it can.
    static func refusal(mode: mode_t, allowFIFO: Bool) -> String? {
        switch mode & S_IFMT {
        case S_IFDIR: return "is a directory, not a file"
        case S_IFSOCK: return "is a socket, not a file"
        case S_IFIFO where !allowFIFO: return "is a FIFO, not a regular file"
        default: return nil
        }
    }

    /// Reads a whole file (see `read`) as UTF-8 text.
    public static func readText(_ path: String, maxBytes: Int = defaultMaximumSize) throws(Failure) -> String {
        String(decoding: try read(path, maxBytes: maxBytes), as: UTF8.self)
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
///
/// A line longer than ``maximumLineLength`` ends the stream with ``overlongLine`` set: the
/// buffer grows to hold a line, so without a limit one endless line (`/dev/zero`) would take
/// all memory.
public final class LineReader {
    /// Longest line accepted (an event line is a few hundred bytes; 1 MB lines replay fine).
    public static let maximumLineLength = 16 << 20
    /// Set when reading stopped at a line longer than ``maximumLineLength``.
    public private(set) var overlongLine = false
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
        var st = stat()
        // A directory opens fine and then reads as empty: refuse it rather than replay nothing.
        // FIFOs stay allowed: a live stream piped into a replay is what they are for.
        if fstat(fileno(f), &st) == 0, let refused = FileIO.refusal(mode: st.st_mode, allowFIFO: true) {
            if !isStandardInput { fclose(f) }
            throw FileIO.Failure(path: path, reason: refused)
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
        while !overlongLine {
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
        return nil
    }

    private func fill() {
        if start > 0 {
            let remaining = end - start
            if remaining > 0 { _ = memmove(buffer.baseAddress!, buffer.baseAddress! + start, remaining) }
            start = 0
            end = remaining
        }
        if end == buffer.count {
            guard buffer.count < Self.maximumLineLength else {
                overlongLine = true
                lineNumber += 1
                return
            }
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
