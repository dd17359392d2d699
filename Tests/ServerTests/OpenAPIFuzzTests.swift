import Foundation
import Server
import Testing
import TestSupport

/// docs/openapi.yaml fuzzed with schemathesis (PyPI; in the validators venv) against a real
/// server over a real PostgreSQL: no 5xx, and every answer matches the document.
@Suite(.enabled(if: PostgresCluster.available && Schemathesis.path != nil,
                "needs PostgreSQL and schemathesis (scripts/report-validators-venv.sh)"))
struct OpenAPIFuzzTests {
    @Test func vigilsOwnAPIAnswersEveryGeneratedRequestWithoutServerErrors() async throws {
        try await PostgresCluster.withCluster { pg in
            let server = try await TestServer.start(pg.url) { $0.maxBodyBytes = 1 << 20 }
            defer { Task { await server.stop() } }
            let token = try await VigilServer.createToken(postgres: pg.url, tenant: "fuzz", scopes: [.admin])
            func fuzz() async throws -> Spawn.Result {
                try await Spawn.run([Schemathesis.path!, "run", SharedData.repoRoot + "/docs/openapi.yaml",
                                     "--url", server.base, "-H", "Authorization: Bearer \(token)",
                                     "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                                     "--max-examples", "60", "--seed", "1", "--no-color"],
                                    environment: ProcessInfo.processInfo.environment.merging(["SCHEMATHESIS_HOOKS": ""]) { $1 })
            }
            var r = try await fuzz()
            // 503 is the documented "database slow or away, retry" answer: under a whole test run on
            // two cores a query can miss its deadline. A run whose only failures are 503s is repeated
            // once; any other failure (a 500, a schema mismatch) fails at once.
            let statuses = r.stdout.split(separator: "\n").filter { $0.contains("] ") && $0.trimmingCharacters(in: .whitespaces).hasPrefix("[") }
            if r.status != 0, !statuses.isEmpty, statuses.allSatisfy({ $0.contains("[503]") }) {
                r = try await fuzz()
            }
            #expect(r.status == 0, "\(r.stdout.suffix(4000))\(r.stderr.suffix(2000))")
            print(r.stdout.split(separator: "\n").suffix(6).joined(separator: "\n"))
        }
    }
}

/// schemathesis from the validators venv, if installed.
enum Schemathesis {
    static let path: String? = {
        var candidates: [String] = []
        if let python = ProcessInfo.processInfo.environment["VIGIL_REPORT_VALIDATOR_PYTHON"] {
            candidates.append(URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent("schemathesis").path)
        }
        candidates.append(SharedData.repoRoot + "/.build/venv/bin/schemathesis")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}
