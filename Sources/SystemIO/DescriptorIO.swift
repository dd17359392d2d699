import Glibc

/// Whole-buffer writes and bounded reads on a descriptor, retrying on EINTR.
///
/// The write functions are `@inlinable`: alert outputs call them once per alert from the event
/// loop, and a cross-module call there is what the event path avoids.
public enum DescriptorIO {
    /// Writes every byte of `bytes` to `fd`, retrying on EINTR and after short writes.
    /// Returns 0, or the `errno` of the failing `write(2)` (EIO when it wrote nothing).
    @inlinable
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        transferAll(bytes) { Glibc.write(fd, $0, $1) }
    }

    /// `writeAll` of an array.
    @inlinable
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    /// Sends every byte on a connected socket, retrying on EINTR; MSG_NOSIGNAL so a closed peer
    /// is an EPIPE error rather than a signal that ends the process. Returns 0 or the `errno`.
    @inlinable
    public static func sendAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        transferAll(bytes) { Glibc.send(fd, $0, $1, Int32(MSG_NOSIGNAL)) }
    }

    /// `sendAll` of an array.
    @inlinable
    public static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { sendAll(fd, $0) }
    }

    /// Calls `transfer(pointer, count)` (a `write` or `send`) until every byte is taken,
    /// retrying on EINTR; 0, or the failing call's `errno` (EIO when it took nothing). Inlined
    /// with its closure, so the loop costs what a hand-written one does.
    @inlinable
    static func transferAll(_ bytes: UnsafeRawBufferPointer, _ transfer: (UnsafeRawPointer, Int) -> Int) -> Int32 {
        guard var p = bytes.baseAddress else { return 0 }
        var left = bytes.count
        while left > 0 {
            let n = transfer(p, left)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return EIO }
            p += n
            left -= n
        }
        return 0
    }

    /// Reads `fd` to its end, at most `limit` bytes. `path` names the file in errors; `size` is
    /// the size `fstat` gave for a regular file (it sizes the buffer once), nil otherwise.
    public static func readAll(_ fd: Int32, path: String, limit: Int, size: Int? = nil) throws(SystemIOError) -> [UInt8] {
        var out: [UInt8] = []
        if let size, size > 0 { out.reserveCapacity(min(size, limit) + 1) }
        // A regular file in one or two reads (up to 1 MiB at a time); pipes and devices in 64 KiB.
        let chunkSize = size.map { min(max($0 + 1, 4096), 1 << 20) } ?? 1 << 16
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = Glibc.read(fd, chunk.baseAddress, chunk.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemIOError(.read, path: path, systemError: errno)
            }
            if n == 0 { return out }
            // Pipes, devices and growing files have no size up front: the limit holds while reading.
            if out.count + n > limit { throw SystemIOError(.tooLarge, path: path, limit: limit) }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[..<n]))
        }
    }
}
