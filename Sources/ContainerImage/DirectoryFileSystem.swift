import Foundation

/// An unpacked root filesystem on disk (`vigil rootfs DIR`). Symlinks are resolved inside the
/// root, never on the host: `/etc/os-release -> /usr/lib/os-release` means `DIR/usr/lib/os-release`.
public struct DirectoryFileSystem: FileSystemView {
    public let root: String
    public let maxFileSize: Int

    public init(root: String, maxFileSize: Int = 256 << 20) throws(ContainerImageError) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir) else {
            throw ContainerImageError(.notFound, "\(root): no such directory")
        }
        guard isDir.boolValue else { throw ContainerImageError(.unsupported, "\(root): not a directory") }
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        self.maxFileSize = maxFileSize
    }

    private func hostPath(_ rel: String) -> String { rel.isEmpty ? root : root + "/" + rel }

    /// Resolves symlinks component by component inside the root.
    public func resolve(_ path: String) throws(ContainerImageError) -> String {
        try SymlinkResolver.resolve(path, display: hostPath(path)) { candidate in
            try? FileManager.default.destinationOfSymbolicLink(atPath: hostPath(candidate))
        }
    }

    public func file(at path: String) throws(ContainerImageError) -> FoundFile? {
        let real = try resolve(path)
        let host = hostPath(real)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: host, isDirectory: &isDir), !isDir.boolValue else { return nil }
        let source = try FileSource(path: host)
        guard source.size <= maxFileSize else {
            throw ContainerImageError(.tooLarge, "\(host): \(source.size) bytes, more than the \(maxFileSize)-byte limit for files Vigil reads")
        }
        var s = source
        let bytes = try s.readFully(source.size)
        return FoundFile(path: real, bytes: bytes, layer: nil)
    }

    public func files(in directory: String) throws(ContainerImageError) -> [FoundFile] {
        let dir = try resolve(directory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: hostPath(dir)) else { return [] }
        var result: [FoundFile] = []
        for name in names.sorted() {
            if let f = try file(at: dir.isEmpty ? name : dir + "/" + name) { result.append(f) }
        }
        return result
    }

    public func history(of path: String) throws(ContainerImageError) -> [FoundFile] {
        try file(at: path).map { [$0] } ?? []
    }
}
