import Foundation
import VigilCore
#if canImport(Glibc)
import Glibc
#endif

/// An unpacked root filesystem on disk (`vigil rootfs DIR`). Symlinks are resolved inside the
/// root, never on the host: `/etc/os-release -> /usr/lib/os-release` means `DIR/usr/lib/os-release`.
public struct DirectoryFileSystem: FileSystemView {
    public let root: String
    public let maxFileSize: Int
    /// Per-file limits of the analyzers, when known; `maxFileSize` otherwise.
    public let request: FileRequest?

    public init(root: String, request: FileRequest? = nil, maxFileSize: Int = 256 << 20) throws(ContainerImageError) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir) else {
            throw ContainerImageError(.notFound, "\(root): no such directory")
        }
        guard isDir.boolValue else { throw ContainerImageError(.unsupported, "\(root): not a directory") }
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        self.maxFileSize = maxFileSize
        self.request = request
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
        var st = stat()
        guard lstat(host, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: return nil
        case S_IFREG: break
        default:
            // A FIFO or device would block or never end; an image cannot ship one as a database.
            throw ContainerImageError(.unsupported, "\(host): not a regular file")
        }
        let limit = request?.limit(for: real) ?? maxFileSize
        guard Int(st.st_size) <= limit else {
            throw ContainerImageError(.tooLarge, "\(host): \(st.st_size) bytes, more than the \(limit)-byte limit for this file")
        }
        var source = try FileSource(path: host)
        let bytes = try source.readFully(Int(st.st_size))
        return FoundFile(path: real, bytes: bytes, layer: nil)
    }

    public func unreadableReason(at path: String) throws(ContainerImageError) -> String? {
        let real = try resolve(path)
        var st = stat()
        guard lstat(hostPath(real), &st) == 0 else {
            // Absent — unless the name itself is a symbolic link whose target is missing. A path
            // reached through a symlinked directory (`lib` → `usr/lib` on merged-/usr systems)
            // that simply does not exist is absent, not hidden.
            let (parent, name) = ArchivePath.split(path)
            let parentReal = parent.isEmpty ? "" : try resolve(parent)
            let leaf = parentReal.isEmpty ? name : parentReal + "/" + name
            var lst = stat()
            if lstat(hostPath(leaf), &lst) == 0, (lst.st_mode & S_IFMT) == S_IFLNK {
                return "a symbolic link to '/\(real)', which does not exist inside the root"
            }
            return nil
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory, not a file"
        default: return "a device, FIFO or socket, not a regular file"
        }
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

    /// Walks the whole tree (symlinked directories are not followed, so the walk stays inside
    /// the root and ends); only regular files are returned.
    public func files(matching patterns: [FileNamePattern]) throws(ContainerImageError) -> [FoundFile] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var result: [FoundFile] = []
        while let rel = walker.nextObject() as? String {
            guard patterns.contains(where: { $0.matches(rel) }) else { continue }
            var st = stat()
            guard lstat(hostPath(rel), &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            if let f = try file(at: rel) { result.append(f) }
        }
        return result.sorted { $0.path < $1.path }
    }
}
