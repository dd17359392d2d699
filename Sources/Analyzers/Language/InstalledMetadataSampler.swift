import ContainerImage

/// Streams the language metadata files of ``InstalledMetadataKind`` and keeps only what they
/// yield (``InstalledMetadataSample``): the file is parsed as its last chunk arrives. A file
/// larger than its kind's limit is not read at all; its sample records the refusal, which the
/// analyzer reports as a warning naming the layer and path.
struct InstalledMetadataSampler: FileSampler {
    var identity: String { "installed-language-metadata-v1" }

    func reader(for path: String, size: Int) -> (any SampleReader)? {
        guard let kind = InstalledMetadataKind.of(path) else { return nil }
        return InstalledMetadataReader(kind: kind, size: size)
    }
}

/// Collects one metadata file (up to its kind's limit) and parses it when it ends.
struct InstalledMetadataReader: SampleReader {
    let kind: InstalledMetadataKind
    private var bytes: [UInt8] = []
    private var refusal: String?

    init(kind: InstalledMetadataKind, size: Int) {
        self.kind = kind
        if size > kind.maxFileSize {
            refusal = "\(size) bytes, more than the \(kind.maxFileSize >> 20) MiB limit for this file; not read"
        } else {
            bytes.reserveCapacity(size)
        }
    }

    mutating func consume(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard refusal == nil else { return false }
        // The size was declared by the archive or the directory entry; a file that grows while
        // being read is cut at the limit rather than trusted.
        guard bytes.count + chunk.count <= kind.maxFileSize else {
            refusal = "more than the \(kind.maxFileSize >> 20) MiB limit for this file; not read"
            bytes = []
            return false
        }
        bytes.append(contentsOf: chunk)
        return true
    }

    mutating func finish() -> [UInt8] {
        if let refusal { return InstalledMetadataSample(problem: refusal).encoded() }
        do {
            return InstalledMetadataSample(packages: try kind.parse(bytes)).encoded()
        } catch {
            return InstalledMetadataSample(problem: error.message).encoded()
        }
    }
}
