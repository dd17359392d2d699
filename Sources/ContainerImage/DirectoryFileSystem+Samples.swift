#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension DirectoryFileSystem {
    /// Walks the root (symlinked directories are not followed) and streams every regular file a
    /// sampler of the request wants through its reader; only the samples are kept.
    public func sampledFiles() throws(ContainerImageError) -> [FoundFile] {
        guard let request, !request.samplers.isEmpty,
              let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var result: [FoundFile] = []
        while let rel = walker.nextObject() as? String {
            var st = stat()
            let host = root + "/" + rel
            guard lstat(host, &st) == 0, st.st_mode & S_IFMT == S_IFREG,
                  var reader = request.sampleReader(for: rel, size: Int(st.st_size), mode: Int(st.st_mode & 0o7777)) else { continue }
            var source = try FileSource(path: host)
            result.append(FoundFile(path: rel, bytes: try SampleStreaming.sample(&source, with: &reader), layer: nil))
        }
        return result.sorted { $0.path < $1.path }
    }
}
