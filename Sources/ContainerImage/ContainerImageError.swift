/// Every failure reading an image, a layer or a root filesystem. Messages name the file and the
/// layer (and the entry inside it) so a user can act on one line.
public struct ContainerImageError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case io, notFound, unsupported, malformedArchive, truncated, digestMismatch
        case pathTraversal, symlinkLoop, tooLarge, decompressionBomb, missingBlob, malformedManifest
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// Prefixes the message with where it happened (`layer sha256:ab…: `).
    func within(_ context: String) -> ContainerImageError {
        ContainerImageError(code, "\(context): \(message)")
    }
}
