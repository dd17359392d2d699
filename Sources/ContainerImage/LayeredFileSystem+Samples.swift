extension LayeredFileSystem {
    /// Every sampled file visible in the final view (not hidden by a later layer's whiteout or
    /// replacement, and not reached only through a symlinked directory), sorted by path.
    public func sampledFiles() throws(ContainerImageError) -> [FoundFile] {
        var seen: Set<String> = []
        var result: [FoundFile] = []
        // Whether each directory is its own real path (no component is a symlink), memoised: a
        // sampled entry is a file, so it is at its real path exactly when its directory is. One
        // check per directory instead of a full resolution per file (20,000 package.json files).
        var real: [String: Bool] = ["": true]
        func isReal(_ directory: String) -> Bool {
            if let known = real[directory] { return known }
            var answer = isReal(ArchivePath.split(directory).parent)
            if answer, case .symlink? = entry(at: directory)?.0 { answer = false }
            real[directory] = answer
            return answer
        }
        for i in layers.indices.reversed() {
            for (path, entry) in layers[i].entries where !seen.contains(path) {
                guard case .sampled = entry else { continue }
                seen.insert(path)
                guard let (top, layer) = self.entry(at: path), case .sampled(let sample) = top,
                      isReal(ArchivePath.split(path).parent) else { continue }
                result.append(FoundFile(path: path, bytes: sample, layer: layer))
            }
        }
        return result.sorted { $0.path < $1.path }
    }
}
