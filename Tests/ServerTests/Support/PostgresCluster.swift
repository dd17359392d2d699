import TestSupport
import Foundation
import Server

/// A throwaway PostgreSQL cluster on loopback for one test: `initdb` into a temporary directory
/// (as the `postgres` user when the tests run as root: PostgreSQL refuses to run as root), a free
/// port, `pg_ctl -l` so the server's output goes to a log file instead of holding our pipes.
/// `stop()` (always called by `withCluster`) stops it and removes the directory.
final class PostgresCluster: @unchecked Sendable {
    /// Debian's `postgresql` binaries (`/usr/lib/postgresql/<major>/bin`), newest first.
    static let binDirectory: String? = {
        let root = "/usr/lib/postgresql"
        let majors = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        return majors.map { "\(root)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: "\($0)/initdb") }
    }()

    static var available: Bool { binDirectory != nil }

    let directory: String
    let port: Int
    private let runAsPostgres = getuid() == 0

    var url: PostgresURL { try! PostgresURL("postgres://vigil@127.0.0.1:\(port)/postgres") }
    var logPath: String { directory + "/log" }

    private init(directory: String, port: Int) {
        self.directory = directory
        self.port = port
    }

    /// Starts a cluster, runs `body`, stops it whatever happens.
    static func withCluster<T>(_ body: (PostgresCluster) async throws -> T) async throws -> T {
        let cluster = try await start()
        do {
            let result = try await body(cluster)
            await cluster.stop()
            return result
        } catch {
            await cluster.stop()
            throw error
        }
    }

    static func start() async throws -> PostgresCluster {
        guard let bin = binDirectory else { throw ClusterError("PostgreSQL binaries not found under /usr/lib/postgresql") }
        var template = Array((NSTemporaryDirectory() + "/vigil-pg.XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw ClusterError("mkdtemp failed") }
        let dir = String(cString: made)
        let cluster = PostgresCluster(directory: dir, port: try LoopbackPort.free())
        if cluster.runAsPostgres {
            guard let pw = getpwnam("postgres") else { throw ClusterError("running as root but there is no postgres user") }
            chown(dir, pw.pointee.pw_uid, pw.pointee.pw_gid)
        }
        try await cluster.run(bin + "/initdb", ["-D", dir + "/data", "-A", "trust", "-U", "vigil", "--no-sync", "-E", "UTF8"])
        try await cluster.pgctl(["start", "-w", "-t", "30", "-o",
                           "-p \(cluster.port) -k \(dir) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"])
        return cluster
    }

    /// Stops the server immediately (a crashed database, as far as clients can tell).
    func stopServer() async throws {
        try await pgctl(["stop", "-m", "immediate", "-w"])
    }

    /// Starts the stopped server again on the same port and data.
    func startServer() async throws {
        try await pgctl(["start", "-w", "-t", "30", "-o",
                         "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"])
    }

    func stop() async {
        _ = try? await pgctl(["stop", "-m", "immediate", "-w"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func pgctl(_ args: [String]) async throws {
        try await run(Self.binDirectory! + "/pg_ctl", ["-D", directory + "/data", "-l", logPath] + args)
    }

    private func run(_ tool: String, _ args: [String]) async throws {
        let argv = runAsPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--", tool] + args : [tool] + args
        let r = try await Spawn.run(argv)
        let status = r.status, text = r.stdout + r.stderr
        guard status == 0 else {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw ClusterError("\((tool as NSString).lastPathComponent) \(args.first ?? "") failed (\(status)): \(text) \(log.suffix(2000))")
        }
    }

}

struct ClusterError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
