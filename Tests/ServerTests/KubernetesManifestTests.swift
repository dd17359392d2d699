import Foundation
import Testing
import TestSupport

/// deploy/kubernetes validated offline against the Kubernetes API schemas by kubernetes-validate
/// (PyPI; in the validators venv of scripts/report-validators-venv.sh), strict: unknown fields fail.
@Suite(.enabled(if: KubernetesValidator.path != nil, "kubernetes-validate not installed (scripts/report-validators-venv.sh)"))
struct KubernetesManifestTests {
    static let directory = SharedData.repoRoot + "/deploy/kubernetes"


    @Test func everyManifestValidatesStrictly() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory).filter { $0.hasSuffix(".yaml") }.sorted()
        try #require(files.count >= 5)
        for file in files where file != "kustomization.yaml" {  // a kustomize file, not an API object
            let r = try await Spawn.run([KubernetesValidator.path!, "--strict", Self.directory + "/" + file])
            #expect(r.status == 0, "\(file): \(r.stdout)\(r.stderr)")
            #expect(r.stdout.contains("passed") || r.stderr.contains("passed"), "\(file): nothing validated")
        }
        // Every manifest is listed in the kustomization.
        let kustomization = try String(contentsOfFile: Self.directory + "/kustomization.yaml", encoding: .utf8)
        for file in files where !["kustomization.yaml", "secrets.example.yaml"].contains(file) {
            #expect(kustomization.contains("- \(file)"), "\(file) missing from kustomization.yaml")
        }
    }
}

/// kubernetes-validate from the validators venv, if set up.
enum KubernetesValidator {
    static let path: String? = {
        var candidates: [String] = []
        if let python = ProcessInfo.processInfo.environment["VIGIL_REPORT_VALIDATOR_PYTHON"] {
            candidates.append(URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent("kubernetes-validate").path)
        }
        candidates.append(SharedData.repoRoot + "/.build/venv/bin/kubernetes-validate")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}
