/// What one layer holds that matters for scanning: the wanted files' bytes, every symlink and
/// directory (for path resolution), whiteouts and opaque directories.
public struct LayerContents: Sendable {
    /// One recorded entry.
    public enum Entry: Sendable, Equatable {
        case file([UInt8])
        case symlink(String)
        case directory
        /// A hard link to another member of the same layer whose bytes were not kept.
        case hardLink(String)
        /// A file a ``FileSampler`` reduced while streaming: its sample, not its contents.
        case sampled([UInt8])
        /// Devices, FIFOs and other types: present, not readable.
        case other
    }

    /// Entries by cleaned path.
    public var entries: [String: Entry] = [:]
    /// Paths deleted from lower layers (`.wh.<name>`).
    public var whiteouts: Set<String> = []
    /// Directories whose lower-layer contents are hidden (`.wh..wh..opq`).
    public var opaqueDirectories: Set<String> = []
    /// Bytes of file data kept in `entries`.
    public var retainedBytes = 0

    public init() {}

    /// Whether this layer hides `path` as it exists in lower layers.
    func hidesLower(_ path: String) -> Bool {
        if whiteouts.contains(path) { return true }
        for ancestor in ArchivePath.ancestors(path) {
            if whiteouts.contains(ancestor) || opaqueDirectories.contains(ancestor) { return true }
        }
        return opaqueDirectories.contains("") && !path.isEmpty
    }
}
