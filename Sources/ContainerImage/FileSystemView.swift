/// A file found in an image or root filesystem.
public struct FoundFile: Sendable {
    /// Path after symlink resolution, root-relative.
    public var path: String
    public var bytes: [UInt8]
    /// Index of the layer that holds this version (nil for a plain directory).
    public var layer: Int?

    public init(path: String, bytes: [UInt8], layer: Int?) {
        self.path = path
        self.bytes = bytes
        self.layer = layer
    }
}

/// Read access to the files analyzers asked for, whatever the input was.
public protocol FileSystemView: Sendable {
    /// The final version of `path` (symlinks followed), or nil if absent.
    func file(at path: String) throws(ContainerImageError) -> FoundFile?
    /// Regular files directly inside `directory`, sorted by path.
    func files(in directory: String) throws(ContainerImageError) -> [FoundFile]
    /// Every layer's version of `path` that is visible in the final view's lineage, oldest first;
    /// for a plain directory, just the file.
    func history(of path: String) throws(ContainerImageError) -> [FoundFile]
    /// Every regular file in the final view whose path matches any of `patterns` (at its real
    /// path, not through a symlinked directory), sorted by path. One walk for all patterns.
    func files(matching patterns: [FileNamePattern]) throws(ContainerImageError) -> [FoundFile]
    /// Every regular file in the final view that a ``FileSampler`` of the request sampled, with
    /// its sample as `bytes`, sorted by path.
    func sampledFiles() throws(ContainerImageError) -> [FoundFile]
    /// Why `path` is present but not a readable regular file (a directory, a symlink to nothing
    /// inside the root, a device or FIFO, a hard link to a member that was not kept), or nil when
    /// it is a file or absent. Package databases check it: an image must not hide its packages
    /// behind such an entry and be reported as having none.
    func unreadableReason(at path: String) throws(ContainerImageError) -> String?
}

extension FileSystemView {
    /// Views that cannot tell (test doubles) report nothing.
    public func unreadableReason(at path: String) throws(ContainerImageError) -> String? { nil }
}

/// Symlinks followed before giving up, as Linux's ELOOP limit.
let maxSymlinkFollows = 40
