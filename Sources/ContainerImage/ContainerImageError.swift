import VigilCore

/// Every failure reading an image, a layer or a root filesystem. Messages name the file and the
/// layer (and the entry inside it) so a user can act on one line.
public struct ContainerImageError: VigilError {
    /// What kind of failure it was; its raw value is the stable part of ``code``.
    public enum Reason: String, Sendable {
        case io, notFound = "not-found", unsupported, malformedArchive = "malformed-archive", truncated
        case digestMismatch = "digest-mismatch", pathTraversal = "path-traversal", symlinkLoop = "symlink-loop"
        case tooLarge = "too-large", decompressionBomb = "decompression-bomb", missingBlob = "missing-blob"
        case malformedManifest = "malformed-manifest"
    }

    /// The kind of failure.
    public var reason: Reason
    /// One line naming the file, layer and entry.
    public var message: String

    /// Creates an error.
    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    /// `image.<reason>`, e.g. `image.path-traversal`.
    public var code: String { "image." + reason.rawValue }

    /// The message (one line).
    public var description: String { message }

    /// Prefixes the message with where it happened (`layer sha256:ab…: `).
    func within(_ context: String) -> ContainerImageError {
        ContainerImageError(reason, "\(context): \(message)")
    }
}
