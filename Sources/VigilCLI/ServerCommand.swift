import ArgumentParser
import Foundation
import Server
import SystemIO
import VigilCore

/// `vigil server`: the fleet server (alerts from every node, Harbor's scanner adapter API).
/// Maps flags to a `ServerConfiguration`; the engine is the `Server` target.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the Vigil server: alerts from every node and Harbor's scanner API over PostgreSQL (see docs/server.md).",
        subcommands: [Serve.self, Token.self],
        defaultSubcommand: Serve.self
    )

    /// `--postgres URL`, else `$VIGIL_POSTGRES`.
    static func postgresURL(_ option: String?) throws -> PostgresURL {
        guard let text = option ?? ProcessInfo.processInfo.environment["VIGIL_POSTGRES"], !text.isEmpty else {
            throw ServerError(.usage, "no database: pass --postgres postgres://user@host:port/db or set VIGIL_POSTGRES")
        }
        return try PostgresURL(text)
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve the HTTP API (the default subcommand).",
            discussion: """
                Applies schema migrations on start (safe with several replicas starting at once), then serves
                /healthz, /readyz, /metrics, POST /api/v1/alerts, POST / (Falco's http_output), GET /api/v1/alerts and
                Harbor's Pluggable Scanner Adapter API v1.2 (GET /api/v1/metadata, POST /api/v1/scan,
                GET /api/v1/scan/{id}/report). Scan requests are queued in PostgreSQL and run by the scan workers of
                every replica; give replicas the same --secret-file so one can finish another's scans.
                Stops on SIGTERM or SIGINT.
                """
        )

        @Option(name: .long, help: ArgumentHelp("PostgreSQL URL (default: $VIGIL_POSTGRES).", valueName: "url"))
        var postgres: String?

        @Option(name: .long, help: ArgumentHelp("Address to listen on.", valueName: "host:port"))
        var listen = "127.0.0.1:8080"

        @Option(name: .long, help: "Vulnerability database file for the scan API (default: $VIGIL_DB or ~/.cache/vigil/db/vigil.db).")
        var db: String?

        @Option(name: .long, help: ArgumentHelp("Largest request body accepted; larger ones get 413.", valueName: "MiB"))
        var maxBodyMib: Int = 10

        @Option(name: .long, help: ArgumentHelp("Scans this replica runs at once (0: accept none here).", valueName: "n"))
        var scanWorkers: Int = 2

        @Option(name: .long, help: ArgumentHelp("PEM certificate chain: serve HTTPS (with --tls-key).", valueName: "file"))
        var tlsCert: String?

        @Option(name: .long, help: ArgumentHelp("PEM private key of --tls-cert.", valueName: "file"))
        var tlsKey: String?

        @Option(name: .long, help: ArgumentHelp("Seconds a claimed scan stays with its replica without a renewal: how soon another replica takes over the scans of one that died.", valueName: "seconds"))
        var scanLease: Int = 30

        @Option(name: .long, help: ArgumentHelp("Registries that scan requests may reach over plain HTTP.", valueName: "host:port,…"))
        var insecureRegistries: String = ""

        @Option(name: .long, help: ArgumentHelp("Cache for pulled blobs and layer analyses (default: ~/.cache/vigil).", valueName: "dir"))
        var cacheDir: String?

        @Option(name: .long, help: ArgumentHelp("File whose contents seal registry credentials in the job table; the same on every replica (default: $VIGIL_SERVER_SECRET_FILE; none: a random key per replica).", valueName: "file"))
        var secretFile: String?

        func run() async throws {
            let (host, port) = try ServerConfiguration.parseListen(listen)
            guard maxBodyMib >= 1, maxBodyMib <= 1024 else { throw ServerError(.usage, "must be 1-1024", location: "--max-body-mib") }
            var config = ServerConfiguration(postgres: try ServerCommand.postgresURL(postgres), host: host, port: port,
                                             databasePath: db ?? DatabaseLocation.resolve(nil))
            config.maxBodyBytes = maxBodyMib << 20
            guard (0...64).contains(scanWorkers) else { throw ServerError(.usage, "must be 0-64", location: "--scan-workers") }
            config.scanWorkers = scanWorkers
            guard (3...3600).contains(scanLease) else { throw ServerError(.usage, "must be 3-3600", location: "--scan-lease") }
            config.scanLeaseSeconds = scanLease
            config.insecureRegistries = Set(insecureRegistries.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty })
            config.cacheDirectory = cacheDir ?? DatabaseLocation.cacheDirectory()
            config.toolVersion = VigilVersion.current
            config.tlsCertificatePath = tlsCert
            config.tlsKeyPath = tlsKey
            if let path = secretFile ?? ProcessInfo.processInfo.environment["VIGIL_SERVER_SECRET_FILE"], !path.isEmpty {
                let secret: [UInt8]
                do {
                    secret = try WholeFile.read(path, limit: 1 << 16)
                } catch {
                    throw ServerError(.secret, "\(error)", location: "--secret-file")
                }
                guard secret.count >= 16 else { throw ServerError(.secret, "\(path): a secret needs at least 16 bytes", location: "--secret-file") }
                config.secret = secret
            }
            try await VigilServer(configuration: config).run(handleSignals: true)
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token",
            abstract: "Manage bearer tokens.",
            subcommands: [Create.self, List.self, Revoke.self]
        )

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list",
                abstract: "List tokens: id, tenant, scopes, creation time, fingerprint (first 8 hex digits of the token's SHA-256).")

            @Option(name: .long, help: ArgumentHelp("PostgreSQL URL (default: $VIGIL_POSTGRES).", valueName: "url"))
            var postgres: String?

            func run() async throws {
                let tokens = try await VigilServer.listTokens(postgres: try ServerCommand.postgresURL(postgres))
                print("ID\tTENANT\tSCOPES\tCREATED\tFINGERPRINT")
                for t in tokens { print("\(t.id)\t\(t.tenant)\t\(t.scopes.joined(separator: ","))\t\(t.createdAt)\t\(t.fingerprint)") }
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "revoke",
                abstract: "Delete a token by id (see `token list`); servers stop accepting it within their 30 s token cache.")

            @Option(name: .long, help: ArgumentHelp("PostgreSQL URL (default: $VIGIL_POSTGRES).", valueName: "url"))
            var postgres: String?

            @Argument(help: "The token's id.")
            var id: Int64

            func run() async throws {
                guard try await VigilServer.revokeToken(postgres: try ServerCommand.postgresURL(postgres), id: id) else {
                    throw ServerError(.usage, "no token with id \(id)", location: "token revoke")
                }
                print("revoked token \(id)")
            }
        }

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "create",
                abstract: "Create a bearer token and print it on standard output (only its hash is stored: it cannot be shown again)."
            )

            @Option(name: .long, help: ArgumentHelp("PostgreSQL URL (default: $VIGIL_POSTGRES).", valueName: "url"))
            var postgres: String?

            @Option(name: .long, help: ArgumentHelp("Scopes: scan, ingest, read, admin (repeatable or comma-separated).", valueName: "scope"))
            var scope: [String] = []

            @Option(name: .long, help: "Tenant the token belongs to; it sees only its tenant's data.")
            var tenant = "default"

            func run() async throws {
                guard !scope.isEmpty else { throw ServerError(.usage, "at least one --scope is required", location: "--scope") }
                let scopes = try TokenScope.parseList(scope.joined(separator: ","))
                let token = try await VigilServer.createToken(postgres: try ServerCommand.postgresURL(postgres), tenant: tenant, scopes: scopes)
                print(token)
            }
        }
    }
}
