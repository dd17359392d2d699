import Classification
import Foundation
import Hummingbird
import JSONValue
import Logging
import NIOCore
import ReportTools
import VulnDB
import VigilCore

/// Harbor's Pluggable Scanner Adapter API v1.2 under `/api/v1`: metadata, scan requests (queued
/// for the scan workers of every replica) and reports. Calls need a token with the `scan` scope;
/// jobs belong to the token's tenant.
struct HarborRoutes: Sendable {
    let configuration: ServerConfiguration
    let store: ScanJobStore
    let sealer: CredentialSealer
    let auth: RequestAuthenticator
    let logger: Logger

    var scanner: JSON {
        .object([("name", .string("Vigil")), ("vendor", .string("Vigil")), ("version", .string(configuration.toolVersion))])
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/v1/metadata") { request, _ in try await metadata(request) }
        router.post("/api/v1/scan") { request, _ in try await accept(request) }
        router.get("/api/v1/scan/:id/report") { request, context in
            try await report(request, id: context.parameters.get("id") ?? "")
        }
    }

    func metadata(_ request: Request) async throws -> Response {
        _ = try await auth.authorize(request, scope: .scan, errorMediaType: HarborMediaType.error)
        var properties: [(String, JSON)] = [("harbor.scanner-adapter/scanner-type", .string("os-package-vulnerability"))]
        if let path = configuration.databasePath, let info = try? VulnDatabase(readOnlyPath: path).info() {
            properties.append(("harbor.scanner-adapter/vulnerability-database-updated-at", .string(info.builtAt)))
        }
        properties.append(("org.vigil.scanner-adapter/languages", .string("true")))
        let manifests = JSON.array(HarborScanRequest.consumedMediaTypes.map(JSON.string))
        let body = JSON.object([
            ("scanner", scanner),
            ("capabilities", .array([
                .object([
                    ("type", .string("vulnerability")),
                    ("consumes_mime_types", manifests),
                    ("produces_mime_types", .array([.string(HarborMediaType.harborReport), .string(HarborMediaType.vulnerabilityReport),
                                                    .string(HarborMediaType.rawReport)])),
                ]),
                .object([
                    ("type", .string("sbom")),
                    ("consumes_mime_types", manifests),
                    ("produces_mime_types", .array([.string(HarborMediaType.sbomReport)])),
                    ("additional_attributes", .object([("sbom_media_types", .array([.string(HarborMediaType.spdx), .string(HarborMediaType.cycloneDX)]))])),
                ]),
            ])),
            ("properties", .object(properties)),
        ])
        return Self.respond(.ok, body, mediaType: HarborMediaType.metadata)
    }

    func accept(_ request: Request) async throws -> Response {
        let token = try await auth.authorize(request, scope: .scan, errorMediaType: HarborMediaType.error)
        guard configuration.databasePath != nil, configuration.scanWorkers > 0 else {
            throw Self.error(.serviceUnavailable, "server.no-scanner", "this server runs no scan workers (start it with --db and --scan-workers > 0)")
        }
        let bytes = try await ServerRoutes.readBody(request, limit: configuration.maxBodyBytes, errorMediaType: HarborMediaType.error)
        let scan: HarborScanRequest
        do throws(HarborScanRequest.Refusal) {
            scan = try HarborScanRequest(bytes, insecureRegistries: configuration.insecureRegistries)
        } catch {
            throw Self.error(HTTPResponse.Status(code: error.status), "harbor.request", error.message)
        }
        let id = UUID().uuidString.lowercased()
        do {
            let sealed = try scan.authorization.map(sealer.seal)
            try await Deadline.run(.seconds(10), "queueing the scan") { [store] in
                try await store.enqueue(id: id, tenant: token.tenant, reference: scan.reference, plainHTTP: scan.plainHTTP,
                                        artifact: JSONPrinter(indent: 0).render(scan.artifact), sealedCredentials: sealed)
            }
        } catch {
            throw Self.error(.internalServerError, "server.database", "scan not queued, retry: \(PostgresErrorText.describe(error))")
        }
        return Self.respond(.accepted, .object([("id", .string(id))]), mediaType: HarborMediaType.scanResponse)
    }

    func report(_ request: Request, id: String) async throws -> Response {
        let token = try await auth.authorize(request, scope: .scan, errorMediaType: HarborMediaType.error)
        guard let kind = HarborMediaType.report(accepting: request.headers[.accept]) else {
            throw Self.error(.notImplemented, "harbor.media-type", "no report of type \(request.headers[.accept] ?? "") (see /api/v1/metadata)")
        }
        var sbomFormat: ReportFormat?
        if kind == .sbom {
            switch request.uri.queryParameters["sbom_media_type"].map(String.init) {
            case HarborMediaType.spdx: sbomFormat = .spdxJSON
            case HarborMediaType.cycloneDX: sbomFormat = .cyclonedx
            default:
                throw Self.error(.badRequest, "harbor.sbom-media-type",
                                 "an SBOM report needs ?sbom_media_type=\(HarborMediaType.spdx) or \(HarborMediaType.cycloneDX)")
            }
        }
        guard UUID(uuidString: id) != nil else { throw Self.error(.notFound, "harbor.unknown-scan", "no scan request \(id.prefix(64))") }
        let state: ScanJobStore.JobState?
        do {
            state = try await Deadline.run(.seconds(10), "reading the scan") { [store] in try await store.state(id: id.lowercased(), tenant: token.tenant) }
        } catch {
            throw Self.error(.internalServerError, "server.database", "report not read, retry: \(PostgresErrorText.describe(error))")
        }
        guard let state else { throw Self.error(.notFound, "harbor.unknown-scan", "no scan request \(id)") }
        switch state.status {
        case "queued", "running":
            return Response(status: .found, headers: [.init("Refresh-After")!: String(configuration.refreshAfterSeconds),
                                                      .location: request.uri.description])
        case "failed":
            throw Self.error(.internalServerError, "harbor.scan-failed", state.error ?? "the scan failed")
        default:
            break
        }
        guard let text = state.report, let trivy = try? JSONParser.parse(Array(text.utf8)),
              let artifact = try? JSONParser.parse(Array(state.artifact.utf8)) else {
            throw Self.error(.internalServerError, "harbor.report", "the stored report of \(id) is unreadable")
        }
        switch kind {
        case .raw:
            return Response(status: .ok, headers: [.contentType: HarborMediaType.rawReport], body: .init(byteBuffer: ByteBuffer(string: text)))
        case .vulnerabilities(let mediaType):
            return Self.respond(.ok, HarborReport(scanner: scanner, artifact: artifact).json(trivy), mediaType: mediaType)
        case .sbom:
            let format = sbomFormat!
            let sbom = (try? JSONParser.parse(format.render(trivy, classifier: Classifier(), toolVersion: configuration.toolVersion))) ?? .null
            let body = JSON.object([
                ("generated_at", trivy["CreatedAt"] ?? .null),
                ("artifact", artifact),
                ("scanner", scanner),
                ("media_type", .string(format == .spdxJSON ? HarborMediaType.spdx : HarborMediaType.cycloneDX)),
                ("sbom", sbom),
            ])
            return Self.respond(.ok, body, mediaType: HarborMediaType.sbomReport)
        }
    }

    static func respond(_ status: HTTPResponse.Status, _ body: JSON, mediaType: String) -> Response {
        var out = Array(JSONPrinter(indent: 0, escapeHTML: false).render(body).utf8)
        out.append(0x0A)
        return Response(status: status, headers: [.contentType: mediaType], body: .init(byteBuffer: ByteBuffer(bytes: out)))
    }

    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> APIError {
        APIError(status: status, code: code, message: message, mediaType: HarborMediaType.error)
    }
}
