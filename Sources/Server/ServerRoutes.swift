import Hummingbird
import Logging
import NIOCore
import PostgresNIO
import VigilCore

/// The HTTP API: health, metrics, alert ingestion (Vigil's and Falco's format) and alert reads.
struct ServerRoutes: Sendable {
    let configuration: ServerConfiguration
    let client: PostgresClient
    let metrics: ServerMetrics
    let auth: RequestAuthenticator
    let migrator: SchemaMigrator
    let writer: AlertWriter
    let logger: Logger

    func register(on router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in Self.json(.ok, #"{"status":"ok"}"#) }
        router.get("/readyz") { _, _ in await readiness() }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: metrics.emit())))
        }
        router.post("/api/v1/alerts") { request, _ in try await ingest(request, falco: false) }
        // Falco's http_output and falcosidekick's webhook post one alert to the URL as given.
        router.post("/") { request, _ in try await ingest(request, falco: true) }
        router.get("/api/v1/alerts") { request, _ in try await listAlerts(request) }
    }

    /// Ready when PostgreSQL answers within 2 s and the schema is at this binary's version.
    func readiness() async -> Response {
        let expected = SchemaMigrator.expectedVersion
        let result: Result<Int, any Error>
        do {
            result = .success(try await Deadline.run(.seconds(2), "readiness check") { try await migrator.currentVersion() })
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success(let v) where v == expected:
            return Self.json(.ok, #"{"ready":true,"schema_version":\#(v)}"#)
        case .success(let v):
            return Self.json(.serviceUnavailable, #"{"ready":false,"reason":"schema at version \#(v), expected \#(expected)"}"#)
        case .failure(let e):
            var out = Array(#"{"ready":false,"reason":"#.utf8)
            JSONText.string("PostgreSQL unreachable: \((e as? ServerError)?.message ?? PostgresErrorText.describe(e))", &out)
            out.append(UInt8(ascii: "}"))
            return Self.json(.serviceUnavailable, String(decoding: out, as: UTF8.self))
        }
    }

    /// Reads at most `maxBodyBytes`: a declared Content-Length over the limit is refused before
    /// any byte is read, a chunked body as soon as it passes the limit.
    func body(_ request: Request) async throws -> [UInt8] {
        try await Self.readBody(request, limit: configuration.maxBodyBytes)
    }

    /// The body of `request`, refused with 413 past `limit` bytes.
    static func readBody(_ request: Request, limit: Int, errorMediaType: String = "application/json") async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIError.tooLarge(limit).with(mediaType: errorMediaType)
        }
        do {
            var buffer = try await request.body.collect(upTo: limit)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge(limit).with(mediaType: errorMediaType)
        }
    }

    func ingest(_ request: Request, falco: Bool) async throws -> Response {
        let token = try await auth.authorize(request, scope: .ingest)
        let bytes = try await body(request)
        let records: [AlertRecord]
        let deliveryID = request.headers.first { $0.name.canonicalName == "x-vigil-alert-id" }?.value
        do throws(ServerError) {
            records = try AlertPayload.parse(bytes, deliveryID: deliveryID)
        } catch {
            throw APIError.badRequest(error)
        }
        do {
            let n = try await writer.insert(records, tenant: token.tenant)
            metrics.received(n, falco: falco)
            return Self.json(.ok, #"{"received":\#(n)}"#)
        } catch {
            throw APIError(status: .serviceUnavailable, code: "server.database", message: "alerts not stored, retry: \(PostgresErrorText.describe(error))")
        }
    }

    func listAlerts(_ request: Request) async throws -> Response {
        let token = try await auth.authorize(request, scope: .read)
        let filter: AlertFilter
        do throws(ServerError) {
            filter = try AlertFilter(parameters: request.uri.queryParameters.map { (String($0.key), String($0.value)) })
        } catch {
            throw APIError.badRequest(error)
        }
        var out = Array(#"{"alerts":["#.utf8)
        var count = 0
        var last: (Int64, Int64)?
        do {
            let query = filter.query(tenant: token.tenant)
            let rows = try await Deadline.run(.seconds(30), "reading alerts") { [client, logger] in
                var rows: [(Int64, String, String, String, String, String, Int64, String)] = []
                for try await row in try await client.query(query, logger: logger).decode(
                    (Int64, String, String, String, String, String, Int64, String).self) { rows.append(row) }
                return rows
            }
            for (id, node, container, image, rule, priority, micros, body) in rows {
                count += 1
                if count > filter.limit { continue }
                if count > 1 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: #"{"id":"#.utf8); out.append(contentsOf: String(id).utf8)
                out.append(contentsOf: #","node":"#.utf8); JSONText.string(node, &out)
                out.append(contentsOf: #","container_id":"#.utf8); JSONText.string(container, &out)
                out.append(contentsOf: #","image":"#.utf8)
                if image.isEmpty { out.append(contentsOf: "null".utf8) } else { JSONText.string(image, &out) }
                out.append(contentsOf: #","rule":"#.utf8); JSONText.string(rule, &out)
                out.append(contentsOf: #","priority":"#.utf8); JSONText.string(priority, &out)
                out.append(contentsOf: #","time":"#.utf8); JSONText.string(AlertTime.format(micros), &out)
                // jsonb's own text: valid JSON by construction.
                out.append(contentsOf: #","alert":"#.utf8); out.append(contentsOf: body.utf8)
                out.append(UInt8(ascii: "}"))
                last = (micros, id)
            }
        } catch {
            throw APIError(status: .serviceUnavailable, code: "server.database", message: "query failed: \(PostgresErrorText.describe(error))")
        }
        out.append(contentsOf: #"],"next_cursor":"#.utf8)
        if count > filter.limit, let last { JSONText.string("\(last.0).\(last.1)", &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: "}\n".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: out)))
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}
