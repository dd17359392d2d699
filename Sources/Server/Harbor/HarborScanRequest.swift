import Foundation
import JSONValue
import VigilCore

/// A Harbor scan request (`POST /api/v1/scan`, Pluggable Scanner Adapter API v1.2), checked:
/// the registry to pull from, the artifact by digest, and which reports Harbor wants.
struct HarborScanRequest: Sendable {
    /// Media types of the artifacts the adapter scans (image manifests).
    static let consumedMediaTypes = [
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]

    /// `https://host[:port]` as given (`registry.url`).
    var registryURL: String
    /// `host[:port]` of the registry.
    var registryHost: String
    /// Plain HTTP (`http://` URL of a registry listed in `--insecure-registries`).
    var plainHTTP: Bool
    /// The HTTP Authorization value for the registry, if any. Never stored in clear or logged.
    var authorization: String?
    /// The artifact object as Harbor sent it (echoed in the report), with its checked parts.
    var artifact: JSON
    var repository: String
    var digest: String

    /// The image reference the scan pulls: `host[:port]/repository@digest`.
    var reference: String { "\(registryHost)/\(repository)@\(digest)" }

    /// Why a request is refused: 400 (not JSON), 422 (a field is wrong), 501 (an artifact kind the
    /// adapter cannot scan).
    struct Refusal: Error {
        var status: Int
        var message: String
    }

    /// Parses and checks `body`. `insecureRegistries` lists the `host:port` values allowed over plain HTTP.
    init(_ body: [UInt8], insecureRegistries: Set<String>) throws(Refusal) {
        let json: JSON
        do {
            json = try JSONParser.parse(body)
        } catch {
            throw Refusal(status: 400, message: "scan request is not JSON: \(error)")
        }
        guard case .object = json else { throw Refusal(status: 400, message: "scan request must be a JSON object") }
        guard let registry = json["registry"], case .object = registry else {
            throw Refusal(status: 422, message: "registry: required object missing")
        }
        guard let url = registry["url"]?.stringValue, !url.isEmpty else {
            throw Refusal(status: 422, message: "registry.url: required string missing")
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
              components.path.isEmpty || components.path == "/", components.query == nil, components.user == nil else {
            throw Refusal(status: 422, message: "registry.url: expected http(s)://host[:port], got \"\(url.prefix(200))\"")
        }
        let hostPort = components.port.map { "\(host):\($0)" } ?? host
        if scheme == "http", !insecureRegistries.contains(hostPort) {
            throw Refusal(status: 422, message: "registry.url: \(hostPort) is plain HTTP; start the server with --insecure-registries \(hostPort) to allow it")
        }
        if let auth = registry["authorization"], auth != .null, auth.stringValue == nil {
            throw Refusal(status: 422, message: "registry.authorization: must be a string")
        }
        guard let artifact = json["artifact"], case .object = artifact else {
            throw Refusal(status: 422, message: "artifact: required object missing")
        }
        guard let repository = artifact["repository"]?.stringValue, Self.isRepository(repository) else {
            throw Refusal(status: 422, message: "artifact.repository: expected a repository name (lowercase path components)")
        }
        guard let digest = artifact["digest"]?.stringValue, Self.isDigest(digest) else {
            throw Refusal(status: 422, message: "artifact.digest: expected sha256:<64 hex digits>")
        }
        if let mime = artifact["mime_type"]?.stringValue, !mime.isEmpty, !Self.consumedMediaTypes.contains(mime) {
            throw Refusal(status: 501, message: "artifact.mime_type \(mime) cannot be scanned (image manifests only)")
        }
        if let capabilities = json["enabled_capabilities"], capabilities != .null {
            guard let list = capabilities.arrayValue else { throw Refusal(status: 422, message: "enabled_capabilities: must be an array") }
            for item in list {
                guard let type = item["type"]?.stringValue else { throw Refusal(status: 422, message: "enabled_capabilities[].type: required") }
                guard type == "vulnerability" || type == "sbom" else {
                    throw Refusal(status: 501, message: "enabled_capabilities: unknown capability \"\(type)\" (vulnerability or sbom)")
                }
            }
        }
        registryURL = url
        registryHost = hostPort
        plainHTTP = scheme == "http"
        authorization = registry["authorization"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        self.artifact = artifact
        self.repository = repository
        self.digest = digest
    }

    /// Distribution's repository grammar: lowercase alphanumerics separated by `.`, `_`, `__`,
    /// `-` within components, components joined by `/`.
    static func isRepository(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 255 else { return false }
        for component in s.split(separator: "/", omittingEmptySubsequences: false) {
            guard let first = component.utf8.first, let last = component.utf8.last,
                  Self.isAlnum(first), Self.isAlnum(last) else { return false }
            guard component.utf8.allSatisfy({ Self.isAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
            else { return false }
        }
        return true
    }

    static func isAlnum(_ c: UInt8) -> Bool { (0x61...0x7A).contains(c) || (0x30...0x39).contains(c) }

    static func isDigest(_ s: String) -> Bool {
        guard s.hasPrefix("sha256:") else { return false }
        let hex = s.utf8.dropFirst(7)
        return hex.count == 64 && hex.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
