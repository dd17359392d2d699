import VigilCore
/// Everything `vigil server` needs to start; the command line fills it in, tests build it directly.
public struct ServerConfiguration: Sendable {
    /// Where PostgreSQL is (`postgres://user[:password]@host[:port]/database`).
    public var postgres: PostgresURL
    /// Address to listen on; port 0 picks a free port (reported through `onListening`).
    public var host: String
    public var port: Int
    /// The vulnerability database the scan API will use (not read by the alert API yet).
    public var databasePath: String?
    /// Largest request body accepted; larger ones get 413 before the body is read.
    public var maxBodyBytes: Int = 10 << 20
    /// Most alerts one INSERT carries; concurrent requests are merged up to this many rows.
    public var maxBatchRows: Int = 2000
    /// INSERTs in flight at once (each holds one PostgreSQL connection).
    public var writerConnections: Int = 2
    /// Connections the pool may open in total.
    public var maxConnections: Int = 16
    /// Scans this replica runs at once (Harbor's requests, from any replica); 0 runs none.
    public var scanWorkers: Int = 2
    /// A claimed scan job belongs to its worker this long, renewed while it runs; a replica that
    /// dies loses its jobs to another replica after at most this.
    public var scanLeaseSeconds: Int = 30
    /// How often an idle worker looks for queued jobs.
    public var scanPollInterval: Duration = .milliseconds(250)
    /// `Refresh-After` (seconds) of a report that is not ready.
    public var refreshAfterSeconds: Int = 5
    /// `host:port` registries the scan requests may reach over plain HTTP.
    public var insecureRegistries: Set<String> = []
    /// Where pulled blobs and layer analyses are cached.
    public var cacheDirectory: String = "/var/cache/vigil"
    /// The secret registry credentials are sealed with in the job table; replicas that share it
    /// take over each other's jobs. nil: a random key per replica.
    public var secret: [UInt8]?
    /// PEM certificate chain and private key: serve HTTPS instead of plain HTTP (both or neither).
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// The version reports and the metadata name.
    public var toolVersion: String = "dev"

    public init(postgres: PostgresURL, host: String = "127.0.0.1", port: Int = 8080, databasePath: String? = nil) {
        self.postgres = postgres
        self.host = host
        self.port = port
        self.databasePath = databasePath
    }

    /// Parses `HOST:PORT` (`[::1]:8080` for IPv6).
    public static func parseListen(_ text: String) throws(ServerError) -> (host: String, port: Int) {
        var host: Substring
        var portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw ServerError(.usage, "expected [HOST]:PORT", location: "--listen \(text)") }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw ServerError(.usage, "expected HOST:PORT", location: "--listen \(text)")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        if host.isEmpty { host = "0.0.0.0" }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw ServerError(.usage, "port must be 0-65535", location: "--listen \(text)")
        }
        return (String(host), port)
    }
}
