import ContainerImage
import Synchronization

/// A filesystem view whose ``sampledFiles()`` runs once: a root directory streams every sampled
/// file (binaries included) on each call, and several plug-in analyzers ask for the samples.
/// Everything else is passed through.
struct SampleCachingView: FileSystemView {
    let base: any FileSystemView
    private let cache = Cache()

    private final class Cache: Sendable {
        let samples = Mutex<[FoundFile]?>(nil)
    }

    init(_ base: any FileSystemView) { self.base = base }

    func file(at path: String) throws(ContainerImageError) -> FoundFile? { try base.file(at: path) }
    func files(in directory: String) throws(ContainerImageError) -> [FoundFile] { try base.files(in: directory) }
    func history(of path: String) throws(ContainerImageError) -> [FoundFile] { try base.history(of: path) }
    func files(matching patterns: [FileNamePattern]) throws(ContainerImageError) -> [FoundFile] {
        try base.files(matching: patterns)
    }
    func unreadableReason(at path: String) throws(ContainerImageError) -> String? { try base.unreadableReason(at: path) }

    func sampledFiles() throws(ContainerImageError) -> [FoundFile] {
        if let cached = cache.samples.withLock({ $0 }) { return cached }
        let samples = try base.sampledFiles()
        cache.samples.withLock { $0 = samples }
        return samples
    }
}
