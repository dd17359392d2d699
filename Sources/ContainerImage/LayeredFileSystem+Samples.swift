extension LayeredFileSystem {
    /// Every sampled file visible in the final view (not hidden by a later layer's whiteout or
    /// replacement, and not reached only through a symlinked directory), sorted by path.
    public func sampledFiles() throws(ContainerImageError) -> [FoundFile] {
        var seen: Set<String> = []
        var result: [FoundFile] = []
        for i in layers.indices.reversed() {
            for (path, entry) in layers[i].entries where !seen.contains(path) {
                guard case .sampled = entry else { continue }
                seen.insert(path)
                guard let (top, layer) = self.entry(at: path), case .sampled(let sample) = top,
                      try resolve(path) == path else { continue }
                result.append(FoundFile(path: path, bytes: sample, layer: layer))
            }
        }
        return result.sorted { $0.path < $1.path }
    }
}
