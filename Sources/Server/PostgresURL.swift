import PostgresNIO
import VigilCore

/// A libpq-style connection URL, `postgres[ql]://user[:password]@host[:port]/database`, with
/// `?host=/dir` for a Unix socket directory (as libpq) and `sslmode=disable` (the only mode
/// supported so far: TLS to PostgreSQL comes with the server's own TLS).
public struct PostgresURL: Sendable, CustomStringConvertible {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    /// Directory holding `.s.PGSQL.<port>` when connecting over a Unix socket.
    public var socketDirectory: String?

    public init(_ text: String) throws(ServerError) {
        let location = "--postgres"
        var rest: Substring
        if text.hasPrefix("postgres://") { rest = text.dropFirst(11) }
        else if text.hasPrefix("postgresql://") { rest = text.dropFirst(13) }
        else { throw ServerError(.usage, "expected postgres://user@host:port/database", location: location) }
        var query: Substring = ""
        if let q = rest.firstIndex(of: "?") { query = rest[rest.index(after: q)...]; rest = rest[..<q] }
        var user = "postgres"
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let info = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = info.firstIndex(of: ":") {
                user = try Self.decode(info[..<colon])
                password = try Self.decode(info[info.index(after: colon)...])
            } else {
                user = try Self.decode(info)
            }
        }
        let hostPort: Substring
        if let slash = rest.firstIndex(of: "/") {
            hostPort = rest[..<slash]
            database = try Self.decode(rest[rest.index(after: slash)...])
        } else {
            hostPort = rest
            database = user
        }
        if database.isEmpty { database = user }
        port = 5432
        if hostPort.hasPrefix("[") , let close = hostPort.firstIndex(of: "]") {
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (1...65535).contains(p) else { throw ServerError(.usage, "invalid port", location: location) }
                port = p
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            guard let p = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(p) else {
                throw ServerError(.usage, "invalid port", location: location)
            }
            port = p
        } else {
            host = String(hostPort)
        }
        self.user = user
        self.password = password
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(kv[0]), value = kv.count > 1 ? try Self.decode(kv[1]) : ""
            switch key {
            case "host": socketDirectory = value
            case "port":
                guard let p = Int(value), (1...65535).contains(p) else { throw ServerError(.usage, "invalid port", location: location) }
                port = p
            case "sslmode":
                guard value == "disable" else {
                    throw ServerError(.usage, "sslmode=\(value) is not supported yet (only sslmode=disable)", location: location)
                }
            case "user": self.user = value
            case "password": self.password = value
            case "dbname": database = value
            default: throw ServerError(.usage, "unknown parameter \(key)", location: location)
            }
        }
        if host.isEmpty && socketDirectory == nil { host = "127.0.0.1" }
    }

    /// The URL without its password, for logs and errors.
    public var description: String {
        if let socketDirectory { return "postgres://\(user)@/\(database)?host=\(socketDirectory)&port=\(port)" }
        return "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
    }

    /// The PostgresNIO client configuration for this URL.
    func clientConfiguration(maxConnections: Int) -> PostgresClient.Configuration {
        var c: PostgresClient.Configuration
        if let socketDirectory {
            c = .init(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            c = .init(host: host, port: port, username: user, password: password, database: database, tls: .disable)
        }
        c.options.maximumConnections = maxConnections
        // /readyz must answer while PostgreSQL is away: fail connects fast rather than in 10 s.
        c.options.connectTimeout = .seconds(2)
        return c
    }

    private static func decode(_ s: Substring) throws(ServerError) -> String {
        var out: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%") {
                guard it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) else {
                    throw ServerError(.usage, "bad %-escape", location: "--postgres")
                }
                out.append(v)
                it = it.dropFirst(2)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
