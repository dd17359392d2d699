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
        data.withUnsafeBufferPointer { b in
            var off = 0
            while off < b.count {
                let n = Glibc.write(fd, b.baseAddress! + off, b.count - off)
                if n <= 0 { if n < 0 && errno == EINTR { continue }; break }
                off += n
            }
        }
    }

    func flush() {
        if !bytes.isEmpty {
            bytes.withUnsafeBufferPointer { b in
                var off = 0
                while off < b.count {
                    let n = Glibc.write(fd, b.baseAddress! + off, b.count - off)
                    if n <= 0 { if n < 0 && errno == EINTR { continue }; break }
                    off += n
                }
            }
            bytes.removeAll(keepingCapacity: true)
        }
    }
    func write(_ s: String) { bytes.append(contentsOf: s.utf8); maybeFlush() }
}
