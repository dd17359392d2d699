import Foundation
import TestSupport

/// Debian's docker-registry (distribution 2.8) on loopback with htpasswd auth, started with
/// posix_spawn (Foundation's Process is avoided in this target: see Spawn) and fed with skopeo.
final class DockerRegistry: @unchecked Sendable {
    static var available: Bool {
        ["/usr/bin/docker-registry", "/usr/bin/skopeo", "/usr/bin/htpasswd"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let root: String
    let port: Int
    let user: String
    let password: String
    private let daemon: Daemon

    var host: String { "127.0.0.1:\(port)" }

    private init(root: String, port: Int, user: String, password: String, daemon: Daemon) {
        self.root = root
        self.port = port
        self.user = user
        self.password = password
        self.daemon = daemon
    }

    /// Starts a registry under `root` that admits `user`/`password` only.
    static func start(root: String, user: String, password: String) async throws -> DockerRegistry {
        try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        let htpasswd = try await Spawn.run(["/usr/bin/htpasswd", "-Bbc", root + "/htpasswd", user, password])
        guard htpasswd.status == 0 else { throw ClusterError("htpasswd: \(htpasswd.stderr)") }
        let port = try LoopbackPort.free()
        try """
            version: 0.1
            log: {level: error}
            storage:
              filesystem: {rootdirectory: \(root)/data}
            http:
              addr: 127.0.0.1:\(port)
            auth:
              htpasswd:
                realm: vigil-test
                path: \(root)/htpasswd
            """.write(toFile: root + "/config.yml", atomically: true, encoding: .utf8)
        let daemon = try Daemon(["/usr/bin/docker-registry", "serve", root + "/config.yml"], log: root + "/registry.log")
        let registry = DockerRegistry(root: root, port: port, user: user, password: password, daemon: daemon)
        for _ in 0..<100 {
            let probe = try await Spawn.run(["/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://\(registry.host)/v2/"])
            if probe.stdout == "401" { return registry }
            try await Task.sleep(for: .milliseconds(100))
        }
        registry.stop()
        throw ClusterError("docker-registry on \(registry.host) did not start")
    }

    /// Copies a `docker save` archive into the registry as `name` (repo:tag); returns the manifest digest.
    func push(archive: String, as name: String) async throws -> String {
        let creds = "\(user):\(password)"
        let copy = try await Spawn.run(["/usr/bin/skopeo", "copy", "-q", "--dest-tls-verify=false", "--dest-creds", creds,
                                        "docker-archive:\(archive)", "docker://\(host)/\(name)"])
        guard copy.status == 0 else { throw ClusterError("skopeo copy: \(copy.stderr)") }
        let inspect = try await Spawn.run(["/usr/bin/skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", creds, "docker://\(host)/\(name)"])
        guard inspect.status == 0 else { throw ClusterError("skopeo inspect: \(inspect.stderr)") }
        let digest = try await Spawn.run(["/usr/bin/skopeo", "manifest-digest", "/dev/stdin"], input: inspect.stdout)
        guard digest.status == 0 else { throw ClusterError("skopeo manifest-digest: \(digest.stderr)") }
        return digest.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func stop() { daemon.stop() }
}
