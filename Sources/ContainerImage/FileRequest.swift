/// The files analyzers want from an image: everything else is skipped while streaming.
public struct FileRequest: Sendable {
    /// Exact root-relative paths (`etc/os-release`).
    public var paths: Set<String>
    /// Directories whose direct children are wanted (`var/lib/dpkg/status.d`).
    public var directories: Set<String>
    /// Largest single file read into memory; a bigger wanted file is an error, not an allocation.
    public var maxFileSize: Int

    public init(paths: Set<String> = [], directories: Set<String> = [], maxFileSize: Int = 256 << 20) {
        self.paths = paths
        self.directories = directories
        self.maxFileSize = maxFileSize
    }

    /// Whether `path` (cleaned) is wanted.
    public func wants(_ path: String) -> Bool {
        if paths.contains(path) { return true }
        if !directories.isEmpty {
            let parent = ArchivePath.split(path).parent
            return directories.contains(parent)
        }
        return false
    }

    /// Union of two requests.
    public func merging(_ other: FileRequest) -> FileRequest {
        FileRequest(paths: paths.union(other.paths), directories: directories.union(other.directories),
                    maxFileSize: max(maxFileSize, other.maxFileSize))
    }
}
