import ContainerImage

/// Reads executables (any file with an execute bit, as Trivy's gobinary and rustbinary
/// analyzers pick them) for Go build info and cargo-auditable's `.dep-v0` section
/// (``ELFSampleReader``). Files the unmanaged-software analyzer samples (`php`, `bash`, a
/// WordPress plugin's PHP file with an execute bit) are left to it: a file has one sampler.
struct ExecutableSampler: FileSampler {
    var identity: String { "executable-v1" }

    func reader(for path: String, size: Int) -> (any SampleReader)? { nil }

    func reader(for path: String, size: Int, mode: Int) -> (any SampleReader)? {
        // Size 0 is the layer scanner asking about a hard link (it then copies the target's sample).
        guard mode & 0o111 != 0, size >= 52 || size == 0, !JarSampler.isArchive(path) else { return nil }
        let utf8 = path.utf8
        let base = utf8.lastIndex(of: UInt8(ascii: "/")).map { Substring(utf8[utf8.index(after: $0)...]) } ?? path[...]
        guard BinaryClassifier.entry(forBaseName: base) == nil, WordPressSampler.role(of: path) == nil else { return nil }
        return ELFSampleReader(path: path, size: size)
    }
}
