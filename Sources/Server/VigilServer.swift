import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import NIOCore
import PostgresNIO
import ServiceLifecycle
import Synchronization
import UnixSignals
import VigilCore

/// `vigil server`: the HTTP API over PostgreSQL. Stateless, so any number of replicas can share
/// one database: the schema is migrated under an advisory lock at start, alerts are written in
/// group-committed batches, tokens are looked up by hash.
public struct VigilServer: Sendable {
    public let configuration: ServerConfiguration

    public init(configuration: ServerConfiguration) {
        self.configuration = configuration
    }

    /// Serves until the task is cancelled or, when `handleSignals`, SIGTERM/SIGINT arrives.
    /// `onListening` receives the bound port (useful with port 0) after migrations are applied.
    public func run(logger: Logger = Logger(label: "vigil.server"), handleSignals: Bool = false, executor: (any TaskExecutor)? = nil,
                    onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        // `executor`: where the server's own unstructured tasks (the database deadlines) run; nil
        // is Swift's global pool. Tests pass the pool their in-process servers run on.
        try await Deadline.$executor.withValue(executor) {
            try await serve(logger: logger, handleSignals: handleSignals, onListening: onListening)
        }
    }

    func serve(logger: Logger, handleSignals: Bool, onListening: @escaping @Sendable (Int) async -> Void) async throws {
        let config = configuration
        let client = PostgresClient(configuration: config.postgres.clientConfiguration(maxConnections: config.maxConnections),
                                    backgroundLogger: logger)
        let metrics = ServerMetrics()
        let tokens = TokenStore(client: client, logger: logger)
        let auth = RequestAuthenticator(tokens: tokens)
        let migrator = SchemaMigrator(client: client, logger: logger, target: config.postgres.description)
        let writer = AlertWriter(client: client, logger: logger, maxBatchRows: config.maxBatchRows,
                                 connections: config.writerConnections) { metrics.stored($0) }
        let routes = ServerRoutes(configuration: config, client: client, metrics: metrics, auth: auth,
                                  migrator: migrator, writer: writer, logger: logger)
        let jobs = ScanJobStore(client: client, logger: logger)
        let sealer = CredentialSealer(secret: config.secret)
        let harbor = HarborRoutes(configuration: config, store: jobs, sealer: sealer, auth: auth, logger: logger)
        let worker = ScanWorker(store: jobs, sealer: sealer, configuration: config, logger: logger) { metrics.scanFinished($0) }

        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        routes.register(on: router)
        harbor.register(on: router)
        FleetRoutes(configuration: config, client: client, auth: auth, logger: logger).register(on: router)

        var app = Application(
            router: router,
            server: try Self.httpServer(config),
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "vigil"),
            services: [client, AlertWriterService(writer: writer), ScanWorkerService(worker: worker, migrator: migrator)],
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? config.port) },
            logger: logger
        )
        app.beforeServerStarts {
            let applied = try await migrator.migrate()
            if !applied.isEmpty { logger.info("schema migrated to version \(applied.last!)") }
        }
        do {
            try await app.runService(gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [])
        } catch let e as ServerError {
            throw e
        } catch is CancellationError {
            return
        } catch {
            throw ServerError(.listen, "serving on \(config.host):\(config.port) failed: \(error)")
        }
    }

    /// Plain HTTP/1.1, or HTTP/1.1 over TLS with the configured certificate chain and key.
    static func httpServer(_ config: ServerConfiguration) throws(ServerError) -> HTTPServerBuilder {
        switch (config.tlsCertificatePath, config.tlsKeyPath) {
        case (nil, nil):
            return .http1()
        case let (cert?, key?):
            let chain: [NIOSSLCertificate]
            let privateKey: NIOSSLPrivateKey
            do {
                chain = try NIOSSLCertificate.fromPEMFile(cert)
            } catch {
                throw ServerError(.tls, "cannot read a PEM certificate chain (\(error))", location: cert)
            }
            guard !chain.isEmpty else { throw ServerError(.tls, "no certificate in the file", location: cert) }
            do {
                privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
            } catch {
                throw ServerError(.tls, "cannot read a PEM private key (\(error))", location: key)
            }
            let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
            do {
                return try .tls(.http1(), tlsConfiguration: tls)
            } catch {
                throw ServerError(.tls, "the certificate and key do not make a TLS configuration (\(error))", location: cert)
            }
        default:
            throw ServerError(.usage, "give both --tls-cert and --tls-key, or neither")
        }
    }

    /// Creates a bearer token (applying migrations first, so this works on an empty database).
    public static func createToken(postgres: PostgresURL, tenant: String, scopes: [TokenScope],
                                   logger: Logger = Logger(label: "vigil.server")) async throws -> String {
        try await withTokenStore(postgres: postgres, logger: logger) { try await $0.create(tenant: tenant, scopes: scopes) }
    }

    /// Every stored token (never the token text).
    public static func listTokens(postgres: PostgresURL, logger: Logger = Logger(label: "vigil.server")) async throws -> [TokenInfo] {
        try await withTokenStore(postgres: postgres, logger: logger) { try await $0.list() }
    }

    /// Deletes a token by id; false when there is none. Servers that cached it stop accepting it
    /// within their 30 s token cache.
    public static func revokeToken(postgres: PostgresURL, id: Int64, logger: Logger = Logger(label: "vigil.server")) async throws -> Bool {
        try await withTokenStore(postgres: postgres, logger: logger) { try await $0.revoke(id: id) }
    }

    static func withTokenStore<T: Sendable>(postgres: PostgresURL, logger: Logger,
                                            _ body: @escaping @Sendable (TokenStore) async throws -> T) async throws -> T {
        // The pool warns when leased before run() has started in the sibling task: harmless here.
        var logger = logger
        logger.logLevel = .error
        let client = PostgresClient(configuration: postgres.clientConfiguration(maxConnections: 2), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { await client.run(); return nil }
            defer { group.cancelAll() }
            try await SchemaMigrator(client: client, logger: logger, target: postgres.description).migrate()
            return try await body(TokenStore(client: client, logger: logger))
        }
    }
}

/// Runs the alert writer inside the application's service group; stops it on shutdown (after
/// the HTTP server, which the group shuts down first).
struct AlertWriterService: Service {
    let writer: AlertWriter

    func run() async throws {
        await withGracefulShutdownHandler {
            await writer.run()
        } onGracefulShutdown: {
            writer.finish()
        }
    }
}

/// Starts the scan workers once the schema is in place (the job table is a migration).
struct ScanWorkerService: Service {
    let worker: ScanWorker
    let migrator: SchemaMigrator

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if (try? await migrator.currentVersion()) == SchemaMigrator.expectedVersion { break }
            try? await Task.sleep(for: .milliseconds(200))
        }
        try await worker.run()
    }
}
