import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import VigilHTTP
import VigilCore

/// Registry HTTP API v2 client: manifests and blobs, anonymous / bearer-token / basic auth,
/// retries with backoff on 5xx, 429 and broken connections.
public final class RegistryClient: @unchecked Sendable {
    /// Media types asked for, in preference order: every manifest and index form.
    public static let manifestAccept = [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]

    let http: HTTPClient
    let insecure: Bool
    let credentials: RegistryCredentials?
    /// Attempts per request (first try included).
    let attempts: Int
    private let lock = NSLock()
    private var tokens: [String: String] = [:] // scope key → Authorization header value

    public init(insecure: Bool, credentials: RegistryCredentials?, attempts: Int = 4) {
        http = .forDownloads()
        self.insecure = insecure
        self.credentials = credentials
        self.attempts = attempts
    }

    /// Closes connections; call once when done.
    public func shutdown() async {
        try? await http.shutdown()
    }

    func baseURL(_ ref: ImageReference) -> String {
        (insecure ? "http://" : "https://") + ref.apiHost + "/v2/" + ref.repository
    }

    private func authorization(for key: String) -> String? {
        lock.lock(); defer { lock.unlock() }
        return tokens[key]
    }

    private func setAuthorization(_ value: String, for key: String) {
        lock.lock(); defer { lock.unlock() }
        tokens[key] = value
    }

    /// Performs a GET (or HEAD), answering auth challenges and retrying transient failures.
    /// Returns the response with its body not yet consumed.
    func send(_ url: String, method: HTTPMethod = .GET, accept: [String] = [], ref: ImageReference,
              what: String, deadline: TimeAmount = .seconds(120)) async throws -> HTTPClientResponse {
        let key = ref.apiHost + "/" + ref.repository
        var challengeAnswered = false
        var attempt = 0
        while true {
            attempt += 1
            var request = HTTPClientRequest(url: url)
            request.method = method
            if !accept.isEmpty { request.headers.add(name: "Accept", value: accept.joined(separator: ", ")) }
            if let auth = authorization(for: key) ?? credentials?.bearerToken.map({ "Bearer " + $0 }) {
                request.headers.add(name: "Authorization", value: auth)
            }
            request.headers.add(name: "User-Agent", value: "vigil")
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request, timeout: deadline)
            } catch {
                if attempt < attempts { try await backoff(attempt); continue }
                throw RegistryError(.network, "\(what): cannot reach \(ref.apiHost) (\(Self.describe(error)))")
            }
            switch response.status.code {
            case 200..<300:
                return response
            case 401:
                _ = try? await response.body.collect(upTo: 1 << 20)
                guard !challengeAnswered else {
                    throw RegistryError(.unauthorized, "\(what): unauthorized: \(ref.apiHost) refused \(credentials.map { "the \($0)" } ?? "anonymous access (give credentials with --username/--password-stdin or docker login)")")
                }
                challengeAnswered = true
                let challenge = response.headers.first(name: "WWW-Authenticate") ?? ""
                try await answer(challenge: challenge, ref: ref, key: key, what: what)
                attempt -= 1
            case 404:
                let body = (try? await response.body.collect(upTo: 1 << 16)).map { String(buffer: $0) } ?? ""
                throw RegistryError(.notFound, "\(what): not found on \(ref.apiHost)\(Self.registryErrorCode(body).map { " (\($0))" } ?? "")")
            case 429:
                _ = try? await response.body.collect(upTo: 1 << 16)
                let retryAfter = response.headers.first(name: "Retry-After").flatMap(Int.init)
                if attempt < attempts, (retryAfter ?? 0) <= 10 {
                    try await Task.sleep(nanoseconds: UInt64(max(retryAfter ?? 1, 1)) * 1_000_000_000)
                    continue
                }
                throw RegistryError(.rateLimited, "\(what): rate-limited by \(ref.apiHost)\(retryAfter.map { " (retry after \($0) s)" } ?? "")")
            case 500..<600:
                _ = try? await response.body.collect(upTo: 1 << 16)
                if attempt < attempts { try await backoff(attempt); continue }
                throw RegistryError(.server, "\(what): \(ref.apiHost) answered \(response.status.code) \(response.status.reasonPhrase) after \(attempts) attempts")
            default:
                let body = (try? await response.body.collect(upTo: 1 << 16)).map { String(buffer: $0) } ?? ""
                throw RegistryError(.server, "\(what): \(ref.apiHost) answered \(response.status.code) \(response.status.reasonPhrase)\(Self.registryErrorCode(body).map { " (\($0))" } ?? "")")
            }
        }
    }

    func backoff(_ attempt: Int) async throws {
        try await Task.sleep(nanoseconds: UInt64(200_000_000) << UInt64(min(attempt - 1, 4)))
    }

    /// The `errors[0].code` of a registry error body (`MANIFEST_UNKNOWN`).
    static func registryErrorCode(_ body: String) -> String? {
        guard let data = body.data(using: .utf8),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let errors = json["errors"] as? [[String: Any]], let first = errors.first else { return nil }
        return [first["code"] as? String, first["message"] as? String].compactMap { $0 }.joined(separator: ": ")
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    /// Handles `WWW-Authenticate: Bearer realm=…,service=…,scope=…` and `Basic`.
    func answer(challenge: String, ref: ImageReference, key: String, what: String) async throws {
        let (scheme, params) = Self.parseChallenge(challenge)
        switch scheme.lowercased() {
        case "basic":
            guard let credentials else {
                throw RegistryError(.unauthorized, "\(what): unauthorized: \(ref.apiHost) requires credentials (--username/--password-stdin or docker login)")
            }
            setAuthorization(credentials.basicHeader, for: key)
        case "bearer":
            guard let realm = params["realm"], var components = URLComponents(string: realm) else {
                throw RegistryError(.unauthorized, "\(what): \(ref.apiHost) sent a bearer challenge without a realm")
            }
            var items = components.queryItems ?? []
            if let service = params["service"] { items.append(URLQueryItem(name: "service", value: service)) }
            items.append(URLQueryItem(name: "scope", value: params["scope"] ?? "repository:\(ref.repository):pull"))
            components.queryItems = items
            guard let tokenURL = components.string else {
                throw RegistryError(.unauthorized, "\(what): invalid token realm from \(ref.apiHost)")
            }
            var request = HTTPClientRequest(url: tokenURL)
            if let credentials { request.headers.add(name: "Authorization", value: credentials.basicHeader) }
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request, timeout: .seconds(60))
            } catch {
                throw RegistryError(.network, "\(what): cannot reach the token service (\(Self.describe(error)))")
            }
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok,
                  let json = try? JSONSerialization.jsonObject(with: Data(Array(buffer: body))) as? [String: Any],
                  let token = (json["token"] as? String) ?? (json["access_token"] as? String) else {
                throw RegistryError(.unauthorized, "\(what): unauthorized: the token service of \(ref.apiHost) answered \(response.status.code)")
            }
            setAuthorization("Bearer " + token, for: key)
        default:
            throw RegistryError(.unauthorized, "\(what): unauthorized: \(ref.apiHost) requires authentication (\(scheme.isEmpty ? "no challenge" : "unsupported scheme \(scheme)"))")
        }
    }

    /// `Bearer realm="https://auth",service="reg",scope="repository:x:pull"` → ("Bearer", params).
    static func parseChallenge(_ header: String) -> (String, [String: String]) {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(of: " ") else { return (trimmed, [:]) }
        let scheme = String(trimmed[..<space])
        var params: [String: String] = [:]
        var rest = trimmed[trimmed.index(after: space)...]
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "," }
            guard let eq = rest.firstIndex(of: "=") else { break }
            let name = rest[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: eq)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                while let c = rest.first, c != "\"" {
                    if c == "\\" { rest = rest.dropFirst() }
                    if let d = rest.first { value.append(d); rest = rest.dropFirst() }
                }
                rest = rest.dropFirst()
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = String(rest[..<end]).trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            params[name] = value
        }
        return (scheme, params)
    }

    /// Fetches a manifest or index: bytes, media type and the digest the registry reports.
    public func manifest(_ ref: ImageReference, reference: String) async throws -> (bytes: [UInt8], mediaType: String, digest: String?) {
        let what = "manifest \(ref.familiarName)@\(reference)"
        let response = try await send(baseURL(ref) + "/manifests/" + reference, accept: Self.manifestAccept, ref: ref, what: what)
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: 16 << 20)
        } catch {
            throw RegistryError(.network, "\(what): download failed (\(Self.describe(error)))")
        }
        let mediaType = response.headers.first(name: "Content-Type")?.split(separator: ";").first.map(String.init) ?? ""
        return (Array(buffer: body), mediaType, response.headers.first(name: "Docker-Content-Digest"))
    }

    /// The digest a tag points to, from a HEAD request (nil when the registry does not say).
    public func manifestDigest(_ ref: ImageReference, reference: String) async throws -> String? {
        let response = try await send(baseURL(ref) + "/manifests/" + reference, method: .HEAD, accept: Self.manifestAccept,
                                      ref: ref, what: "manifest \(ref.familiarName)@\(reference)")
        return response.headers.first(name: "Docker-Content-Digest")
    }

    /// Streams a blob into the cache, verifying its digest; retries a broken transfer from the start.
    public func downloadBlob(_ ref: ImageReference, digest: String, cache: BlobCache, what: String,
                             progress: (Int, Int?) -> Void) async throws {
        var attempt = 0
        while true {
            attempt += 1
            let response = try await send(baseURL(ref) + "/blobs/" + digest, ref: ref, what: what, deadline: .hours(6))
            let expected = response.headers.first(name: "Content-Length").flatMap(Int.init)
            let download = try cache.beginDownload()
            do {
                for try await chunk in response.body {
                    try chunk.withUnsafeReadableBytes { (raw) throws(RegistryError) in try download.write(raw) }
                    progress(download.bytes, expected)
                }
            } catch let error as RegistryError {
                throw error
            } catch {
                if attempt < attempts { try await backoff(attempt); continue }
                throw RegistryError(.network, "\(what): connection lost after \(download.bytes) bytes\(expected.map { " of \($0)" } ?? "") (\(Self.describe(error))); nothing was cached")
            }
            if let expected, download.bytes != expected {
                if attempt < attempts { try await backoff(attempt); continue }
                throw RegistryError(.network, "\(what): transfer ended after \(download.bytes) of \(expected) bytes; nothing was cached")
            }
            try cache.commit(download, expected: digest, what: what)
            return
        }
    }
}
