import Foundation
import Testing
import TestSupport

/// What the Harbor tests scan: the WordPress lab image built from real Debian packages
/// (scripts/build-wordpress-lab-image.py), a database of the real NVD records, the real `vigil`
/// binary's JSON scan of the archive, and the image pushed to a registry with htpasswd auth.
struct HarborLab {
    static let packages = SharedData.repoRoot + "/.build/unmanaged-fixtures/pkgs"

    static var available: Bool {
        PostgresCluster.available && DockerRegistry.available && SharedData.available && SharedData.vigilBinary != nil
            && FileManager.default.fileExists(atPath: packages + "/wordpress.version")
    }

    static let why: Comment = "needs PostgreSQL, docker-registry, skopeo, htpasswd, ../shared, a built vigil and scripts/fetch-unmanaged-fixtures.sh"

    let scratch: String
    let archive: String
    let db: String
    /// (id package version) of every finding of `vigil image --input archive`.
    let expected: Set<String>
    let registry: DockerRegistry
    let digest: String

    static func prepare(password: String) async throws -> HarborLab {
        let scratch = NSTemporaryDirectory() + "/vigil-harbor-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let vigil = SharedData.vigilBinary!
        let archive = scratch + "/lab.tar"
        let build = try await Spawn.run(["/usr/bin/python3", SharedData.repoRoot + "/scripts/build-wordpress-lab-image.py",
                                         packages, SharedData.root, archive])
        guard build.status == 0 else { throw ClusterError("lab image build: \(build.stderr)") }
        let db = scratch + "/vigil.db"
        let imported = try await Spawn.run([vigil, "db", "import", "--db", db, SharedData.path("data/feeds/nvd/records")])
        guard imported.status == 0 else { throw ClusterError("db import: \(imported.stderr)") }
        let cli = try await Spawn.run([vigil, "image", "--input", archive, "--db", db, "-f", "json", "--quiet"])
        guard cli.status == 0, let report = try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any] else {
            throw ClusterError("vigil image: \(cli.stderr)")
        }
        let expected = trivyFindings(report)
        guard !expected.isEmpty else { throw ClusterError("the lab image has no findings: the comparison would prove nothing") }
        let registry = try await DockerRegistry.start(root: scratch + "/registry", user: "robot$vigil", password: password)
        let digest = try await registry.push(archive: archive, as: "lab/wordpress:4.6.1")
        return HarborLab(scratch: scratch, archive: archive, db: db, expected: expected, registry: registry, digest: digest)
    }

    func cleanUp() {
        registry.stop()
        try? FileManager.default.removeItem(atPath: scratch)
    }

    /// (id, package, version) of every vulnerability in a Trivy JSON report.
    static func trivyFindings(_ report: [String: Any]) -> Set<String> {
        var out: Set<String> = []
        for result in report["Results"] as? [[String: Any]] ?? [] {
            for v in result["Vulnerabilities"] as? [[String: Any]] ?? [] {
                out.insert("\(v["VulnerabilityID"] as? String ?? "") \(v["PkgName"] as? String ?? "") \(v["InstalledVersion"] as? String ?? "")")
            }
        }
        return out
    }

    /// (id, package, version) of every item of a Harbor report.
    static func harborFindings(_ text: String) throws -> Set<String> {
        guard let report = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw ClusterError("not a report: \(text.prefix(300))")
        }
        let items = report["vulnerabilities"] as? [[String: Any]] ?? []
        return Set(items.map { "\($0["id"] as? String ?? "") \($0["package"] as? String ?? "") \($0["version"] as? String ?? "")" })
    }
}
