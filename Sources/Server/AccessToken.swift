/// The caller a bearer token identifies: its tenant and scopes.
public struct AccessToken: Sendable, Equatable {
    public var tenant: String
    public var scopes: [TokenScope]

    public init(tenant: String, scopes: [TokenScope]) {
        self.tenant = tenant
        self.scopes = scopes
    }

    /// True when the token carries `scope` or `admin`.
    public func allows(_ scope: TokenScope) -> Bool {
        scopes.contains(scope) || scopes.contains(.admin)
    }
}

/// A stored token as `vigil server token list` shows it (the token itself is never stored).
public struct TokenInfo: Sendable {
    public var id: Int64
    public var tenant: String
    public var scopes: [String]
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    public var createdAt: String
    /// The first 8 hex digits of the token's SHA-256.
    public var fingerprint: String
}
