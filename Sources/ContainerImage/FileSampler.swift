/// Files an analyzer recognises by a rule richer than a name (a file directly inside
/// `wp-content/plugins/*/`, a program called `php` or `libphp8.2.so`) and reduces while the layer
/// streams by — the first few KiB of a PHP header, the version found in a 90 MB binary — instead
/// of keeping the whole file. What the reader returns is all that is kept.
public protocol FileSampler: Sendable {
    /// A stable name for this sampler and its settings: part of the layer cache key, so change it
    /// whenever the samples it produces change.
    var identity: String { get }
    /// A fresh reader for the file at `path` (cleaned, root-relative) of `size` bytes, or nil when
    /// the file is not wanted. Runs for every regular file of every layer: decide on the name first.
    func reader(for path: String, size: Int) -> (any SampleReader)?
    /// The same, also given the file's permission bits (`0o755`), for samplers that want
    /// executables whatever their name (Go and Rust binaries, as Trivy picks them). The default
    /// ignores the mode.
    func reader(for path: String, size: Int, mode: Int) -> (any SampleReader)?
}

extension FileSampler {
    public func reader(for path: String, size: Int, mode: Int) -> (any SampleReader)? { reader(for: path, size: size) }
}

/// Consumes one file's bytes in order and produces its (small) sample.
public protocol SampleReader {
    /// Feeds the next chunk; returns false when it needs no more of this file.
    mutating func consume(_ chunk: UnsafeRawBufferPointer) -> Bool
    /// The sample to keep, after the last chunk (or after `consume` returned false).
    mutating func finish() -> [UInt8]
}

/// Streams a source through a reader in fixed chunks until the reader or the source ends.
enum SampleStreaming {
    /// Chunk size: large enough that per-call overhead vanishes on 100 MB binaries, small enough
    /// to stay in cache.
    static let chunkSize = 1 << 18

    static func sample<S: ByteSource>(_ source: inout S, with reader: inout any SampleReader) throws(ContainerImageError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try source.read(into: buffer)
            if n == 0 { break }
            if !reader.consume(UnsafeRawBufferPointer(rebasing: buffer[..<n])) { break }
        }
        return reader.finish()
    }
}

extension FileRequest {
    /// The first sampler that wants `path` (of permission bits `mode`), with a fresh reader.
    func sampleReader(for path: String, size: Int, mode: Int = 0o644) -> (any SampleReader)? {
        for sampler in samplers {
            if let reader = sampler.reader(for: path, size: size, mode: mode) { return reader }
        }
        return nil
    }
}

extension FileSystemView {
    /// No samples by default: views that do not stream files have nothing sampled.
    public func sampledFiles() throws(ContainerImageError) -> [FoundFile] { [] }
}
