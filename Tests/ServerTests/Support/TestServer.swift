import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PostgresNIO
import Server

/// One `VigilServer` replica running in this process on a random loopback port.
final class TestServer: @unchecked Sendable {
    let port: Int
    private let task: Task<Void, any Error>

    /// `https` when started with a certificate.
    var scheme = "http"
    var base: String { "\(scheme)://127.0.0.1:\(port)" }

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    static func start(_ postgres: PostgresURL, configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestServer {
        var config = ServerConfiguration(postgres: postgres, host: "127.0.0.1", port: 0)
        configure(&config)
        var logger = Logger(label: "vigil.server.test")
        logger.logLevel = .critical
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = VigilServer(configuration: config)
        let task = Task(executorPreference: ServerExecutor.shared) {
            defer { continuation.finish() }
            try await server.run(logger: logger, executor: ServerExecutor.shared) { continuation.yield($0) }
        }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value  // rethrows why it did not start
            throw ClusterError("server stopped before listening")
        }
        let started = TestServer(port: port, task: task)
        if config.tlsCertificatePath != nil { started.scheme = "https" }
        return started
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// A response: status and body bytes.
struct HTTPResult {
    var status: Int
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

enum HTTP {
    static func send(_ method: HTTPMethod, _ url: String, token: String? = nil, headers: [(String, String)] = [],
                     body: [UInt8]? = nil) async throws -> HTTPResult {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await execute(request, on: HTTPClient.shared)
        var buffer = try await response.body.collect(upTo: 64 << 20)
        return HTTPResult(status: Int(response.status.code), body: buffer.readBytes(length: buffer.readableBytes) ?? [])
    }

    /// Executes `request`; a GET whose pooled connection turns out closed is sent once more. The
    /// pool keeps idle connections by host and port, and a port freed by one test's server can be
    /// given to the next test's server, so the first request may meet a connection to the old one.
    static func execute(_ request: HTTPClientRequest, on client: HTTPClient) async throws -> HTTPClientResponse {
        do {
            return try await client.execute(request, timeout: .seconds(30))
        } catch let error as HTTPClientError where error == .remoteConnectionClosed && request.method == .GET {
            return try await client.execute(request, timeout: .seconds(30))
        }
    }

    /// A client that does not follow redirects (Harbor's pending report is a 302 to itself).
    static let noRedirects: HTTPClient = {
        var config = HTTPClient.Configuration()
        config.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }()

    /// Like `send`, without following redirects, with the response headers.
    static func sendWithHeaders(_ method: HTTPMethod, _ url: String, token: String? = nil, headers: [(String, String)] = [],
                                body: [UInt8]? = nil) async throws -> (status: Int, headers: [String: String], body: [UInt8]) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await execute(request, on: noRedirects)
        var buffer = try await response.body.collect(upTo: 64 << 20)
        var fields: [String: String] = [:]
        for h in response.headers { fields[h.name] = h.value }
        return (Int(response.status.code), fields, buffer.readBytes(length: buffer.readableBytes) ?? [])
    }

    static func post(_ url: String, token: String?, _ text: String, headers: [(String, String)] = []) async throws -> HTTPResult {
        try await send(.POST, url, token: token, headers: headers, body: Array(text.utf8))
    }

    static func get(_ url: String, token: String? = nil) async throws -> HTTPResult {
        try await send(.GET, url, token: token)
    }
}

/// Direct SQL against the test cluster, independent of the server's own code paths.
enum SQL {
    static func scalar(_ url: PostgresURL, _ sql: String) async throws -> Int {
        let c = PostgresClient(configuration: .init(host: url.host, port: url.port, username: url.user, password: nil,
                                                    database: url.database, tls: .disable),
                               backgroundLogger: Logger(label: "test.sql", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask { await c.run(); return nil }
            defer { group.cancelAll() }
            for try await v in try await c.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return v }
            return 0
        }
    }
}
