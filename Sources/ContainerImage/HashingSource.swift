import Crypto

/// Passes bytes through while computing their SHA-256 and counting them: one pass gives both
/// the layer digest (compressed) and the diff ID (uncompressed).
public struct HashingSource<Base: ByteSource>: ByteSource {
    public var base: Base
    private var hasher = SHA256()
    /// Bytes passed through so far.
    public private(set) var count = 0

    public init(_ base: Base) { self.base = base }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ContainerImageError) -> Int {
        let n = try base.read(into: buffer)
        if n > 0 {
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            count += n
        }
        return n
    }

    /// `sha256:<hex>` of everything read so far.
    public func digest() -> String {
        "sha256:" + hasher.finalize().map { byte in
            let hex = Array("0123456789abcdef".utf8)
            return String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
        }.joined()
    }
}

/// SHA-256 of bytes in memory as `sha256:<hex>`.
public func sha256Digest(_ bytes: [UInt8]) -> String {
    var h = HashingSource(MemorySource(bytes))
    _ = try? h.drain()
    return h.digest()
}
