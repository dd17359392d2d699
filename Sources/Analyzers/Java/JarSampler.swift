import ContainerImage

/// Reads Java archives (`.jar/.war/.ear/.par`, any case, as Trivy picks them) while the layer
/// streams by: the archive is held in memory — its central directory sits at its end, and
/// nested stored archives are then views on the same bytes — and only the packages found and
/// the warnings are kept (``PackageSample``). No temporary files.
struct JarSampler: FileSampler {
    /// Largest archive read. Bigger ones (a 1 GB "jar") are not held in memory: a warning says so.
    static let maxArchiveSize = 128 << 20

    var identity: String { "jar-v1" }

    func reader(for path: String, size: Int) -> (any SampleReader)? {
        guard Self.isArchive(path) else { return nil }
        guard size <= Self.maxArchiveSize else {
            var sample = PackageSample(format: .jar)
            sample.warnings.append("\(path): \(size) bytes, larger than the \(Self.maxArchiveSize >> 20) MiB limit for a Java archive; not analysed")
            return FixedSampleReader(sample: sample.encoded())
        }
        return JarSampleReader(path: path, size: size)
    }

    static func isArchive(_ path: String) -> Bool {
        let utf8 = path.utf8
        guard utf8.count > 4 else { return false }
        let ext = utf8.suffix(4).map { $0 | 0x20 } // ASCII lower case; `.` is unchanged by the OR
        return ext == Array(".jar".utf8) || ext == Array(".war".utf8) || ext == Array(".ear".utf8) || ext == Array(".par".utf8)
    }
}

/// Keeps a whole archive (its size is known from the tar header, so one allocation), then
/// inspects it in ``finish()``.
struct JarSampleReader: SampleReader {
    let path: String
    private var bytes: [UInt8] = []

    init(path: String, size: Int) {
        self.path = path
        bytes.reserveCapacity(size)
    }

    mutating func consume(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count + chunk.count <= JarSampler.maxArchiveSize else { return false }
        bytes.append(contentsOf: chunk)
        return true
    }

    mutating func finish() -> [UInt8] {
        let sample = JarInspector.inspect(bytes, path: path)
        bytes = []
        return sample.encoded()
    }
}

/// A sample decided before reading (a refusal with its warning).
struct FixedSampleReader: SampleReader {
    let sample: [UInt8]
    mutating func consume(_ chunk: UnsafeRawBufferPointer) -> Bool { false }
    mutating func finish() -> [UInt8] { sample }
}
