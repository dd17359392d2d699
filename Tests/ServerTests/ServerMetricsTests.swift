import Foundation
import Server
import Testing

/// `/metrics` read back by the Prometheus project's own Python text parser (Debian's
/// python3-prometheus-client), not by our code.
@Suite(.enabled(if: PostgresCluster.available, "PostgreSQL binaries not installed (apt-get install postgresql)"),
       .enabled(if: PrometheusParser.available, "python3-prometheus-client not installed"))
struct ServerMetricsTests {
    @Test func metricsParseAsPrometheusTextAndCountRequests() async throws {
        try await PostgresCluster.withCluster { pg in
            let server = try await TestServer.start(pg.url)
            let token = try await VigilServer.createToken(postgres: pg.url, tenant: "m", scopes: [.ingest])
            let batch = "[" + (0..<12).map { _ in ServerAPITests.vigilAlert() }.joined(separator: ",") + "]"
            #expect(try await HTTP.post(server.base + "/api/v1/alerts", token: token, batch).status == 200)
            #expect(try await HTTP.post(server.base + "/", token: token, ServerAPITests.falcoAlert).status == 200)
            #expect(try await HTTP.post(server.base + "/api/v1/alerts", token: nil, "{}").status == 401)
            _ = try await HTTP.get(server.base + "/healthz")
            let text = try await HTTP.get(server.base + "/metrics").text
            let samples = try await PrometheusParser.parse(text)
            func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
                samples.first { s in s.name == name && labels.allSatisfy { k, v in s.labels[k] == v } }?.value
            }
            #expect(value("vigil_alerts_stored_total") == 13)
            #expect(value("vigil_alerts_received_total", ["format": "vigil"]) == 12)
            #expect(value("vigil_alerts_received_total", ["format": "falco"]) == 1)
            #expect(value("vigil_http_requests_total", ["route": "/api/v1/alerts", "method": "POST", "status": "401"]) == 1)
            #expect(value("vigil_http_requests_total", ["route": "/api/v1/alerts", "method": "POST", "status": "200"]) == 1)
            #expect(value("vigil_http_requests_total", ["route": "/healthz", "method": "GET", "status": "200"]) == 1)
            #expect(value("vigil_http_request_duration_seconds_count", ["route": "/"]) == 1)
            #expect(value("vigil_http_request_duration_seconds_bucket", ["route": "/", "le": "+Inf"]) == 1)
            await server.stop()
        }
    }
}

/// Runs `prometheus_client.parser.text_string_to_metric_families` over a scrape.
enum PrometheusParser {
    struct Sample { var name: String; var labels: [String: String]; var value: Double }

    static let available: Bool = (try? Spawn.runBlocking(["/usr/bin/python3", "-c", "import prometheus_client.parser"], input: nil, environment: nil).status) == 0

    static func parse(_ text: String) async throws -> [Sample] {
        let out = try await python("""
            from prometheus_client.parser import text_string_to_metric_families; import sys, json
            rows = []
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    rows.append([s.name, s.labels, s.value])
            print(json.dumps(rows))
            """, input: text)
        let rows = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[Any]] ?? []
        return rows.map { Sample(name: $0[0] as? String ?? "", labels: $0[1] as? [String: String] ?? [:], value: ($0[2] as? NSNumber)?.doubleValue ?? .nan) }
    }

    static func python(_ script: String, input: String) async throws -> String {
        let r = try await Spawn.run(["/usr/bin/python3", "-c", script], input: input)
        guard r.status == 0 else { throw ClusterError("python3 failed (\(r.status)): \(r.stderr.suffix(500))") }
        return r.stdout
    }
}
