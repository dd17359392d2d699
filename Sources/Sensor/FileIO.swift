import SystemIO
import VigilCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Event and rule files read without Foundation (through SystemIO), failing with Sensor's error.
public enum FileIO {
    /// Why a file could not be read.
    public struct Failure: VigilError {
        /// The file.
        public var path: String
        /// What is wrong with it (`is a directory, not a file`).
        public var reason: String
        /// SystemIO's code for it (`io.too-large`).
        public var code: String
        /// `PATH: reason`.
        public var description: String { "\(path): \(reason)" }

        /// The failure SystemIO reported.
        public init(_ error: SystemIOError) {
            path = error.path
            reason = error.problem
            code = error.code
        }
    }

    /// Largest file `read` accepts by default (rules files: Falco's own rules are ~200 KB).
    public static let defaultMaximumSize = 16 << 20

    /// Reads a whole file of at most `maxBytes` bytes. Directories, FIFOs and sockets are
    /// refused (a FIFO with no writer would block forever); devices and growing files stop at
    /// the limit (`/dev/zero` would otherwise be read until memory runs out).
    public static func read(_ path: String, maxBytes: Int = defaultMaximumSize) throws(Failure) -> [UInt8] {
        do { return try WholeFile.read(path, limit: maxBytes) } catch { throw Failure(error) }
    }

    /// Reads a whole file (see `read`) as UTF-8 text.
    public static func readText(_ path: String, maxBytes: Int = defaultMaximumSize) throws(Failure) -> String {
        String(decoding: try read(path, maxBytes: maxBytes), as: UTF8.self)
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
            throw FileIO.Failure(SystemIOError(.open, path: path, systemError: errno))
        }
        var st = stat()
        // A directory opens fine and then reads as empty: refuse it rather than replay nothing.
        // FIFOs stay allowed: a live stream piped into a replay is what they are for.
        if fstat(fileno(f), &st) == 0, case let kind = FileKind(mode: st.st_mode), kind == .directory || kind == .socket {
            if !isStandardInput { fclose(f) }
            throw FileIO.Failure(SystemIOError(.notAFile, path: path, kind: kind))
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
