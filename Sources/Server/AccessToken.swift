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
