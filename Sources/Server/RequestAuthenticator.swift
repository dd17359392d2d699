import Hummingbird
import Synchronization

/// Turns `Authorization: Bearer <token>` into an `AccessToken`, or the 401/403 answer. Lookups
/// are cached for `ttl` (a revoked token keeps working for at most that long), so ingestion at
/// thousands of requests per second does not add a query per request.
final class RequestAuthenticator: Sendable {
    private let tokens: TokenStore
    private let cache = Mutex<[[UInt8]: (AccessToken?, ContinuousClock.Instant)]>([:])
    private let ttl: Duration

    init(tokens: TokenStore, ttl: Duration = .seconds(30)) {
        self.tokens = tokens
        self.ttl = ttl
    }

    func authorize(_ request: Request, scope: TokenScope, errorMediaType: String? = nil) async throws -> AccessToken {
        do {
            return try await check(request, scope: scope)
        } catch let error as APIError {
            throw errorMediaType.map { error.with(mediaType: $0) } ?? error
        }
    }

    private func check(_ request: Request, scope: TokenScope) async throws -> AccessToken {
        guard let header = request.headers[.authorization] else { throw APIError.unauthorized }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw APIError.unauthorized }
        let token = parts[1].trimmingSpaces()
        let key = TokenStore.hash(token)
        let now = ContinuousClock.now
        let cached = cache.withLock { c -> (AccessToken?, ContinuousClock.Instant)? in
            guard let e = c[key], e.1 > now else { return nil }
            return e
        }
        let found: AccessToken?
        if let cached {
            found = cached.0
        } else {
            do {
                found = try await Deadline.run(.seconds(5), "checking the token") { [tokens] in try await tokens.lookup(token) }
            } catch {
                throw APIError(status: .serviceUnavailable, code: "server.database",
                               message: "cannot check the token, retry: \(PostgresErrorText.describe(error))")
            }
            cache.withLock { c in
                if c.count > 10_000 { c.removeAll() }  // unknown tokens must not grow it without bound
                c[key] = (found, now + ttl)
            }
        }
        guard let found else { throw APIError.invalidToken }
        guard found.allows(scope) else { throw APIError.forbidden(scope) }
        return found
    }
}
