/// The files analyzers want from an image, each with the largest size they accept: everything
/// else is skipped while streaming.
public struct FileRequest: Sendable {
    /// Exact root-relative paths (`etc/os-release`) → size limit in bytes.
    public var paths: [String: Int]
    /// Directories whose direct children are wanted (`var/lib/dpkg/status.d`) → limit per child.
    public var directories: [String: Int]
    /// Files wanted anywhere by name (`*/Cargo.lock`) → size limit.
    public var names: [FileNamePattern: Int]
    /// Files reduced to a sample while streaming (see ``FileSampler``), in priority order.
    public var samplers: [any FileSampler] = []

    /// Every path, directory and name pattern with the same limit.
    public init(paths: Set<String> = [], directories: Set<String> = [], names: Set<FileNamePattern> = [],
                maxFileSize: Int = 256 << 20) {
        self.paths = Dictionary(uniqueKeysWithValues: paths.map { ($0, maxFileSize) })
        self.directories = Dictionary(uniqueKeysWithValues: directories.map { ($0, maxFileSize) })
        self.names = Dictionary(uniqueKeysWithValues: names.map { ($0, maxFileSize) })
    }

    /// The size limit for `path` (cleaned), or nil when it is not wanted.
    public func limit(for path: String) -> Int? {
        if let l = paths[path] { return l }
        if !directories.isEmpty, let l = directories[ArchivePath.split(path).parent] { return l }
        if !names.isEmpty {
            var found: Int?
            for (pattern, l) in names where pattern.matches(path) { found = max(found ?? 0, l) }
            return found
        }
        return nil
    }

    /// Whether `path` (cleaned) is wanted.
    public func wants(_ path: String) -> Bool { limit(for: path) != nil }

    /// A request for samples only.
    public init(samplers: [any FileSampler]) {
        self.init()
        self.samplers = samplers
    }

    /// Union of two requests; a path both want keeps the larger limit.
    public func merging(_ other: FileRequest) -> FileRequest {
        var merged = self
        merged.paths.merge(other.paths, uniquingKeysWith: max)
        merged.directories.merge(other.directories, uniquingKeysWith: max)
        merged.names.merge(other.names, uniquingKeysWith: max)
        merged.samplers += other.samplers.filter { s in !samplers.contains { $0.identity == s.identity } }
        return merged
    }
}
