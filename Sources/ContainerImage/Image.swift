import JSONValue

/// One layer of a loaded image, in config order.
public struct ImageLayer: Sendable {
    /// `sha256:` of the blob as stored; nil when the archive stores the layer uncompressed.
    public var digest: String?
    public var diffID: String
    /// Uncompressed size in bytes.
    public var size: Int
    /// Where the blob was found in the input, for messages.
    public var location: String
    /// The history entry that created it (`created_by`), when the config says.
    public var createdBy: String?

    public init(digest: String?, diffID: String, size: Int, location: String, createdBy: String? = nil) {
        self.digest = digest
        self.diffID = diffID
        self.size = size
        self.location = location
        self.createdBy = createdBy
    }
}

/// A container image read from an archive or OCI layout: its config and a view of its files.
public struct Image: Sendable {
    /// `sha256:` of the config blob (Docker's image ID).
    public var id: String
    /// The config JSON as stored, key order kept.
    public var config: JSON
    public var repoTags: [String]
    public var repoDigests: [String]
    public var layers: [ImageLayer]
    /// The union of the layers' wanted files.
    public var fileSystem: LayeredFileSystem
    /// What kind of input this was: `docker-archive`, `oci-layout`, `oci-archive`.
    public var format: String

    /// Diff IDs from the config, in order.
    public var diffIDs: [String] { layers.map(\.diffID) }
    /// Total uncompressed size of the layers.
    public var size: Int { layers.reduce(0) { $0 + $1.size } }
}
