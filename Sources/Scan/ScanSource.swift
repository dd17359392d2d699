/// What a scan reads. New kinds (an SBOM, a plain directory of lockfiles) become new cases.
public enum ScanSource: Sendable, Equatable {
    /// A `docker save` archive (tar or tar.gz), an OCI image layout (directory) or an OCI archive
    /// (tar of a layout), read from disk.
    case imageArchive(path: String)
    /// An unpacked root filesystem.
    case rootfs(path: String)
    /// An image reference pulled from its registry (`alpine:3.10`, `host:5000/repo@sha256:…`).
    case registry(reference: String)
    /// A project tree (or one lockfile) as `vigil fs` reads it: every lockfile and build file,
    /// not installed-package metadata (Trivy's `fs`).
    case filesystem(path: String)
    /// A CycloneDX or SPDX JSON document, scanned like the image it describes.
    case sbom(path: String)

    /// The name the report gives the artifact (`ArtifactName`): the path or the reference as given.
    public var artifactName: String {
        switch self {
        case .imageArchive(let path), .rootfs(let path), .filesystem(let path), .sbom(let path): path
        case .registry(let reference): reference
        }
    }
}
