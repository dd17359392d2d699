/// What a scan reads. New kinds (an SBOM, a plain directory of lockfiles) become new cases.
public enum ScanSource: Sendable, Equatable {
    /// A `docker save` archive (tar or tar.gz), an OCI image layout (directory) or an OCI archive
    /// (tar of a layout), read from disk.
    case imageArchive(path: String)
    /// An unpacked root filesystem.
    case rootfs(path: String)
    /// An image reference pulled from its registry (`alpine:3.10`, `host:5000/repo@sha256:…`).
    case registry(reference: String)

    /// The name the report gives the artifact (`ArtifactName`): the path or the reference as given.
    public var artifactName: String {
        switch self {
        case .imageArchive(let path), .rootfs(let path): path
        case .registry(let reference): reference
        }
    }
}
