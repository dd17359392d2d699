import SystemIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writer over a C stream; flushes in large blocks.
final class OutputBuffer {
    var bytes: [UInt8] = []
    let fd: Int32
    var unbuffered = false
    init(_ fd: Int32) {
        self.fd = fd
        bytes.reserveCapacity(1 << 17)
    }
    @inline(__always) func maybeFlush() { if bytes.count >= (1 << 16) || unbuffered { flush() } }
    func writeRaw(_ data: [UInt8]) {
        _ = DescriptorIO.writeAll(fd, data)
    }

    func flush() {
        if !bytes.isEmpty {
            _ = DescriptorIO.writeAll(fd, bytes)
            bytes.removeAll(keepingCapacity: true)
        }
    }
    func write(_ s: String) { bytes.append(contentsOf: s.utf8); maybeFlush() }
}
