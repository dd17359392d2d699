import Crypto
import Logging
import NIOCore
import PostgresNIO
import VigilCore

/// Bearer tokens in PostgreSQL: only the SHA-256 of a token is stored, so a database dump does not
/// give access. Tokens are 32 random bytes (the system's CSPRNG) as `vgl_` + 64 hex digits;
/// lookup is by hash, so no constant-time compare is needed.
public struct TokenStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Creates a token and returns it: the only time its clear text exists.
    func create(tenant: String, scopes: [TokenScope]) async throws(ServerError) -> String {
        guard Self.isValidTenant(tenant) else {
            throw ServerError(.usage, "tenant must be 1-128 characters of letters, digits, '.', '_' or '-'", location: "--tenant")
        }
        var rng = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in bytes.indices { bytes[i] = rng.next() }
        let token = "vgl_" + Self.hex(bytes)
        let hash = ByteBuffer(bytes: Self.hash(token))
        let scopeNames = scopes.map(\.rawValue)
        do {
            try await client.query("INSERT INTO tokens (hash, tenant, scopes) VALUES (\(hash), \(tenant), \(scopeNames))", logger: logger)
        } catch {
            throw ServerError(.database, "storing the token failed: \(PostgresErrorText.describe(error))")
        }
        return token
    }

    /// The token's tenant and scopes, or nil when no such token exists.
    func lookup(_ token: String) async throws -> AccessToken? {
        let hash = ByteBuffer(bytes: Self.hash(token))
        let rows = try await client.query("SELECT tenant, scopes FROM tokens WHERE hash = \(hash)", logger: logger)
        for try await (tenant, scopes) in rows.decode((String, [String]).self) {
            return AccessToken(tenant: tenant, scopes: scopes.compactMap(TokenScope.init(rawValue:)))
        }
        return nil
    }

    /// Every token's id, tenant, scopes, creation time and fingerprint (the first 8 hex digits of
    /// its SHA-256, which `printf %s TOKEN | sha256sum` reproduces): never the token.
    func list() async throws(ServerError) -> [TokenInfo] {
        do {
            var out: [TokenInfo] = []
            let rows = try await client.query("""
                SELECT id, tenant, scopes, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), encode(hash, 'hex')
                FROM tokens ORDER BY id
                """, logger: logger)
            for try await (id, tenant, scopes, created, hash) in rows.decode((Int64, String, [String], String, String).self) {
                out.append(TokenInfo(id: id, tenant: tenant, scopes: scopes, createdAt: created, fingerprint: String(hash.prefix(8))))
            }
            return out
        } catch {
            throw ServerError(.database, "listing tokens failed: \(PostgresErrorText.describe(error))")
        }
    }

    /// Deletes the token with this id; false when there is none.
    func revoke(id: Int64) async throws(ServerError) -> Bool {
        do {
            let rows = try await client.query("DELETE FROM tokens WHERE id = \(id) RETURNING id", logger: logger)
            for try await _ in rows.decode(Int64.self) { return true }
            return false
        } catch {
            throw ServerError(.database, "revoking the token failed: \(PostgresErrorText.describe(error))")
        }
    }

    static func hash(_ token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func isValidTenant(_ t: String) -> Bool {
        !t.isEmpty && t.utf8.count <= 128 && t.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D
        }
    }
}
