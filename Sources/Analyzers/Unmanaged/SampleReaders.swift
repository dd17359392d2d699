import ContainerImage

/// Keeps the first `limit` bytes of a file: PHP and CSS headers (WordPress reads only the first
/// 8 KiB of a plugin or theme file for its header, as `get_file_data` does) and package file lists.
struct PrefixSampleReader: SampleReader {
    let limit: Int
    private var kept: [UInt8] = []

    init(limit: Int) { self.limit = limit }

    mutating func consume(_ chunk: UnsafeRawBufferPointer) -> Bool {
        kept.append(contentsOf: chunk.prefix(limit - kept.count))
        return kept.count < limit
    }

    mutating func finish() -> [UInt8] { kept }
}

/// Reads nothing and records why (a candidate too large to be what its name says).
struct RefusalSampleReader: SampleReader {
    let message: String

    mutating func consume(_ chunk: UnsafeRawBufferPointer) -> Bool { false }
    mutating func finish() -> [UInt8] { Array("W\t\(message)".utf8) }
}

/// Samples candidate binaries for ``BinaryClassifier``.
struct BinarySampler: FileSampler {
    var identity: String { "binary-classifier-v1" }

    func reader(for path: String, size: Int) -> (any SampleReader)? {
        let utf8 = path.utf8
        let base = utf8.lastIndex(of: UInt8(ascii: "/")).map { Substring(utf8[utf8.index(after: $0)...]) } ?? path[...]
        guard let index = BinaryClassifier.entry(forBaseName: base) else { return nil }
        // Source trees and documentation carry files called `php` or `bash` that are scripts or
        // man pages; they are still read (bounded) and simply yield no version.
        if size > BinaryClassifier.maxFileSize {
            return RefusalSampleReader(message: "\(path): \(size) bytes, larger than the \(BinaryClassifier.maxFileSize >> 20) MiB limit for a '\(BinaryClassifier.entries[index].name)' binary; not classified")
        }
        return VersionScanner(entry: BinaryClassifier.entries[index], path: path)
    }
}
