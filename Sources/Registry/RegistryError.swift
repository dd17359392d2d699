/// A registry failure a user can act on. Never contains credentials or tokens.
public struct RegistryError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidReference, notFound, unauthorized, rateLimited, digestMismatch, network, server, unsupported, io, noPlatform
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
