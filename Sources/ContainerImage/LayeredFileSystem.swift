/// The union of image layers, lowest first, as an overlay filesystem would present it.
public struct LayeredFileSystem: FileSystemView {
    public let layers: [LayerContents]
    /// Layer names for error messages.
    public let layerNames: [String]

    public init(layers: [LayerContents], layerNames: [String]) {
        self.layers = layers
        self.layerNames = layerNames
    }

    /// The top-most visible entry at an exact (already resolved) path.
    func entry(at path: String) -> (LayerContents.Entry, Int)? {
        for i in layers.indices.reversed() {
            if let e = layers[i].entries[path] { return (e, i) }
            if layers[i].hidesLower(path) { return nil }
        }
        return nil
    }

    /// Follows symlinks in every component, confined to the root as a container would see it.
    public func resolve(_ path: String) throws(ContainerImageError) -> String {
        try SymlinkResolver.resolve(path, display: path) { candidate in
            if case .symlink(let target)? = entry(at: candidate)?.0 { return target }
            return nil
        }
    }

    public func file(at path: String) throws(ContainerImageError) -> FoundFile? {
        let real = try resolve(path)
        return try materialize(real)
    }

    private func materialize(_ real: String) throws(ContainerImageError) -> FoundFile? {
        guard let (e, layer) = entry(at: real) else { return nil }
        switch e {
        case .file(let bytes): return FoundFile(path: real, bytes: bytes, layer: layer)
        case .hardLink(let target):
            if case .file(let bytes)? = layers[layer].entries[target] {
                return FoundFile(path: real, bytes: bytes, layer: layer)
            }
            return nil
        default: return nil
        }
    }

    public func unreadableReason(at path: String) throws(ContainerImageError) -> String? {
        let real = try resolve(path)
        guard let (e, layer) = entry(at: real) else {
            // Absent — unless the name itself is a symbolic link whose target is missing (a path
            // reached through a symlinked directory such as merged-/usr's `lib` is just absent).
            let (parent, name) = ArchivePath.split(path)
            let parentReal = parent.isEmpty ? "" : try resolve(parent)
            if case .symlink? = entry(at: parentReal.isEmpty ? name : parentReal + "/" + name)?.0 {
                return "a symbolic link to '/\(real)', which does not exist in the image"
            }
            return nil
        }
        switch e {
        case .file, .sampled, .symlink: return nil
        case .directory: return "a directory, not a file (layer \(layerNames.indices.contains(layer) ? layerNames[layer] : String(layer)))"
        case .other: return "a device, FIFO or socket, not a regular file (layer \(layerNames.indices.contains(layer) ? layerNames[layer] : String(layer)))"
        case .hardLink(let target):
            switch layers[layer].entries[target] {
            case .file?, .sampled?: return nil
            default: break
            }
            return "a hard link to '\(target)', which is not a regular file earlier in the same layer"
        }
    }

    public func files(in directory: String) throws(ContainerImageError) -> [FoundFile] {
        let dir = try resolve(directory)
        var seen: Set<String> = []
        var result: [FoundFile] = []
        for i in layers.indices.reversed() {
            let layer = layers[i]
            for (path, _) in layer.entries where ArchivePath.split(path).parent == dir && !seen.contains(path) {
                seen.insert(path)
                if let found = try materialize(path) { result.append(found) }
            }
            if layer.hidesLower(dir + "/x") { break }
        }
        return result.sorted { $0.path < $1.path }
    }

    public func history(of path: String) throws(ContainerImageError) -> [FoundFile] {
        let real = try resolve(path)
        var versions: [FoundFile] = []
        for i in layers.indices.reversed() {
            if let entry = layers[i].entries[real] {
                if case .file(let bytes) = entry {
                    versions.append(FoundFile(path: real, bytes: bytes, layer: i))
                } else if case .hardLink(let target) = entry, case .file(let bytes)? = layers[i].entries[target] {
                    versions.append(FoundFile(path: real, bytes: bytes, layer: i))
                } else {
                    // A directory, device or unresolvable link replaces the file: lower versions
                    // are not in the final view (reporting them would show packages the image
                    // no longer has; `unreadableReason` says why there is no file).
                    break
                }
            }
            if layers[i].hidesLower(real) { break }
        }
        return versions.reversed()
    }

    public func files(matching patterns: [FileNamePattern]) throws(ContainerImageError) -> [FoundFile] {
        var seen: Set<String> = []
        var result: [FoundFile] = []
        for i in layers.indices.reversed() {
            for (path, entry) in layers[i].entries where !seen.contains(path) && patterns.contains(where: { $0.matches(path) }) {
                seen.insert(path)
                switch entry {
                case .file, .hardLink: break
                default: continue
                }
                // Skip paths that a later layer hid or moved behind a symlinked directory.
                guard try resolve(path) == path, let found = try materialize(path) else { continue }
                result.append(found)
            }
        }
        return result.sorted { $0.path < $1.path }
    }
}
