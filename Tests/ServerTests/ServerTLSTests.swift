import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Server
import Testing
import TestSupport
import VigilCore

/// `--tls-cert/--tls-key`: the API over HTTPS with a certificate made by openssl in the test;
/// plain HTTP to that port fails; unreadable files are one-line errors naming the file.
@Suite(.enabled(if: PostgresCluster.available && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"),
                "needs PostgreSQL and openssl"))
struct ServerTLSTests {
    @Test func servesHTTPSWithTheGivenCertificate() async throws {
        let dir = NSTemporaryDirectory() + "/vigil-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let made = try await Spawn.run(["/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                        "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                                        "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem"])
        try #require(made.status == 0, "\(made.stderr)")
        try await PostgresCluster.withCluster { pg in
            let server = try await TestServer.start(pg.url) {
                $0.tlsCertificatePath = dir + "/cert.pem"
                $0.tlsKeyPath = dir + "/key.pem"
            }
            defer { Task { await server.stop() } }
            #expect(server.base.hasPrefix("https://"))
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(dir + "/cert.pem"))
            var config = HTTPClient.Configuration()
            config.tlsConfiguration = tls
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
            defer { Task { try? await client.shutdown() } }
            let response = try await client.execute(HTTPClientRequest(url: server.base + "/healthz"), timeout: .seconds(30))
            #expect(response.status.code == 200)
            let token = try await VigilServer.createToken(postgres: pg.url, tenant: "t", scopes: [.read])
            var authorized = HTTPClientRequest(url: server.base + "/api/v1/alerts")
            authorized.headers.add(name: "Authorization", value: "Bearer \(token)")
            #expect(try await client.execute(authorized, timeout: .seconds(30)).status.code == 200)
            // The system's trust store does not know this certificate.
            await #expect(throws: (any Error).self) { _ = try await HTTPClient.shared.execute(HTTPClientRequest(url: server.base + "/healthz"), timeout: .seconds(10)) }
            // Plain HTTP to the TLS port gets no HTTP answer.
            await #expect(throws: (any Error).self) {
                let r = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/healthz"), timeout: .seconds(10))
                if r.status.code == 200 { return }
                throw ClusterError("answered \(r.status.code)")
            }
        }
    }

    @Test func unreadableCertificatesAreOneLineErrors() async throws {
        let url = try PostgresURL("postgres://vigil@127.0.0.1:1/postgres")
        var config = ServerConfiguration(postgres: url, port: 0)
        config.tlsCertificatePath = "/nonexistent/cert.pem"
        config.tlsKeyPath = "/nonexistent/key.pem"
        await #expect {
            try await VigilServer(configuration: config).run()
        } throws: { error in
            let e = error as? ServerError
            return e?.code == "server.tls" && e?.description.contains("/nonexistent/cert.pem") == true && !(e?.description.contains("\n") ?? true)
        }
        config.tlsKeyPath = nil
        await #expect(throws: ServerError.self) { try await VigilServer(configuration: config).run() }
    }
}
