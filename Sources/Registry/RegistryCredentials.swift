import Foundation
import VigilCore

/// A user name and password for one registry. `description` never shows the password.
public struct RegistryCredentials: Sendable, CustomStringConvertible {
    public var username: String
    public var password: String
    /// A registry bearer token handed over as is (Harbor's scan request may carry one): sent
    /// with every request instead of answering challenges with `username`/`password`.
    public var bearerToken: String?

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// Credentials from an HTTP `Authorization` value, as a Harbor scan request carries them:
    /// `Basic base64(user:password)` (a robot account) or `Bearer TOKEN`.
    public init(authorization: String) throws(RegistryError) {
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else {
            throw RegistryError(.unauthorized, "registry authorization must be `Basic <base64>` or `Bearer <token>`")
        }
        let value = parts[1].trimmingCharacters(in: .whitespaces)
        switch parts[0].lowercased() {
        case "basic":
            guard let decoded = Base64.decode(value.utf8, padding: .endsData, rejectsLoneCharacter: true),
                  let colon = decoded.firstIndex(of: UInt8(ascii: ":")) else {
                throw RegistryError(.unauthorized, "registry authorization: Basic credentials are not base64 of `user:password`")
            }
            self.init(username: String(decoding: decoded[..<colon], as: UTF8.self),
                      password: String(decoding: decoded[(colon + 1)...], as: UTF8.self))
        case "bearer":
            guard !value.isEmpty else { throw RegistryError(.unauthorized, "registry authorization: empty bearer token") }
            self.init(username: "", password: "")
            bearerToken = value
        default:
            throw RegistryError(.unauthorized, "registry authorization scheme \"\(parts[0])\" is not supported (Basic or Bearer)")
        }
    }

    public var description: String { bearerToken != nil ? "a bearer token" : "credentials for \(username)" }

    /// `Basic base64(user:password)`.
    var basicHeader: String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }

    /// Looks the registry up in Docker's `config.json` (`$DOCKER_CONFIG` or `~/.docker`) and in
    /// podman's `auth.json` (`$REGISTRY_AUTH_FILE`, `$XDG_RUNTIME_DIR/containers`). Credential
    /// helpers are not run.
    public static func fromConfigFiles(registry: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> RegistryCredentials? {
        var files: [String] = []
        if let f = environment["REGISTRY_AUTH_FILE"] { files.append(f) }
        if let d = environment["DOCKER_CONFIG"] { files.append(d + "/config.json") }
        if let h = environment["HOME"] { files.append(h + "/.docker/config.json") }
        if let r = environment["XDG_RUNTIME_DIR"] { files.append(r + "/containers/auth.json") }
        let keys = registry == ImageReference.dockerHub
            ? ["https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io"]
            : [registry, "https://\(registry)", "http://\(registry)"]
        for file in files {
            guard let data = FileManager.default.contents(atPath: file),
                  let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let auths = root["auths"] as? [String: Any] else { continue }
            for key in keys {
                guard let entry = auths[key] as? [String: Any] else { continue }
                if let auth = entry["auth"] as? String, let decoded = Data(base64Encoded: auth),
                   let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":") {
                    return RegistryCredentials(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
                }
                if let u = entry["username"] as? String, let p = entry["password"] as? String {
                    return RegistryCredentials(username: u, password: p)
                }
            }
        }
        return nil
    }
}
