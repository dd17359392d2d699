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
}

/// Symlinks followed before giving up, as Linux's ELOOP limit.
let maxSymlinkFollows = 40
