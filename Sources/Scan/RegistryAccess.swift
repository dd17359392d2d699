import Registry

/// How a scan reaches a registry: plain HTTP or TLS, whose credentials, where blobs are cached.
public struct RegistryAccess: Sendable {
    /// Plain HTTP (a registry on loopback or a lab network).
    public var insecure: Bool
    /// Root of the blob and layer-analysis cache (`~/.cache/vigil`).
    public var cacheDirectory: String
    /// The credentials for a registry host, asked once the reference is parsed (so a bad
    /// reference is reported before a password is read); nil means anonymous.
    public var credentials: @Sendable (_ registry: String) throws -> RegistryCredentials?
    /// Progress of the layer downloads; nil for none.
    public var progress: (any PullProgress)?
    /// Confirm with the registry that these credentials may read a manifest found in the cache
    /// (a scan server shares one cache between clients).
    public var confirmsCachedManifests = false

    /// TLS, anonymous or the Docker/Podman config files' credentials, no progress, unless given.
    public init(insecure: Bool = false, cacheDirectory: String,
                credentials: @escaping @Sendable (_ registry: String) throws -> RegistryCredentials? = { RegistryCredentials.fromConfigFiles(registry: $0) },
                progress: (any PullProgress)? = nil) {
        self.insecure = insecure
        self.cacheDirectory = cacheDirectory
        self.credentials = credentials
        self.progress = progress
    }
}
