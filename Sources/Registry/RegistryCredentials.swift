import Foundation

/// A user name and password for one registry. `description` never shows the password.
public struct RegistryCredentials: Sendable, CustomStringConvertible {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    public var description: String { "credentials for \(username)" }

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
