import VigilCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forward-only stream of bytes. Every reader in this module (files, gzip, tar entries,
/// hashing) composes through it, so an image is read once, front to back, without temp files.
public protocol ByteSource {
    /// Reads up to `buffer.count` bytes; returns 0 only at the end of the stream.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ContainerImageError) -> Int
}

extension ByteSource {
    /// Reads until `count` bytes or the end; returns what was read.
    public mutating func readFully(_ count: Int) throws(ContainerImageError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = try out.withUnsafeMutableBytes { raw in
                Result { () throws(ContainerImageError) -> Int in
                    try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
                }
            }.get()
            if n == 0 { break }
            filled += n
        }
        if filled < count { out.removeLast(count - filled) }
        return out
    }

    /// Reads and discards everything left; returns the number of bytes discarded.
    @discardableResult
    public mutating func drain() throws(ContainerImageError) -> Int {
        var total = 0
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { scratch.deallocate() }
        while true {
            let n = try read(into: scratch)
            if n == 0 { return total }
            total += n
        }
    }
}

/// A file opened read-only, read with `read(2)`.
public final class FileSource: ByteSource {
    private let fd: Int32
    /// The path, for error messages.
    public let path: String

    /// Opens `path` for reading.
    public init(path: String) throws(ContainerImageError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code: ContainerImageFailure = errno == ENOENT ? .notFound : .io
            throw ContainerImageError(code, "\(path): \(String(cString: strerror(errno)))")
        }
        self.fd = fd
    }

    deinit { close(fd) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ContainerImageError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw ContainerImageError(.io, "\(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Size from `fstat`, for sanity checks.
    public var size: Int {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }

    /// Moves the read position (used for seekable plain tar archives).
    public func seek(to offset: Int) throws(ContainerImageError) {
        if lseek(fd, off_t(offset), SEEK_SET) < 0 {
            throw ContainerImageError(.io, "\(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// Bytes already in memory.
public struct MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ContainerImageError) -> Int {
        let n = min(buffer.count, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}

/// Puts back bytes read ahead of time (magic-number sniffing) in front of another source.
public struct PeekedSource<Base: ByteSource>: ByteSource {
    private var head: [UInt8]
    private var headOffset = 0
    public var base: Base

    public init(head: [UInt8], base: Base) {
        self.head = head
        self.base = base
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ContainerImageError) -> Int {
        if headOffset < head.count {
            let n = min(buffer.count, head.count - headOffset)
            head.withUnsafeBytes { src in
                buffer.baseAddress!.copyMemory(from: src.baseAddress! + headOffset, byteCount: n)
            }
            headOffset += n
            return n
        }
        return try base.read(into: buffer)
    }
}
