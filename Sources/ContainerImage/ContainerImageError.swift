import VigilCore

/// Every failure reading an image, a layer or a root filesystem. Messages name the file and the
/// layer (and the entry inside it) so a user can act on one line.
public typealias ContainerImageError = EngineError<ContainerImageFailure>

/// What kind of failure it was; its raw value is the stable part of ``code``.
public enum ContainerImageFailure: String, ErrorReason {
    case io, notFound = "not-found", unsupported, malformedArchive = "malformed-archive", truncated
    case digestMismatch = "digest-mismatch", pathTraversal = "path-traversal", symlinkLoop = "symlink-loop"
    case tooLarge = "too-large", decompressionBomb = "decompression-bomb", missingBlob = "missing-blob"
    case malformedManifest = "malformed-manifest"

    /// `image.<reason>`.
    public static let domain = "image"
}

extension EngineError where Reason == ContainerImageFailure {
    /// Prefixes the message with where it happened (`layer sha256:ab…: `).
    func within(_ context: String) -> ContainerImageError {
        ContainerImageError(reason, "\(context): \(message)")
    }
}
