import Foundation
import RuleEngine
import Sensor

/// Paths and helpers shared by the tests.
enum TestSupport {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// `../shared/conformance/falco` next to the repository, when present (integration tests skip otherwise).
    static let falcoConformance: String? = {
        var candidates: [String] = []
        if let env = Foundation.ProcessInfo.processInfo.environment["VIGIL_FALCO_CONFORMANCE"] { candidates.append(env) }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(repo.deletingLastPathComponent().appendingPathComponent("shared/conformance/falco").path)
        candidates.append("/work/shared/conformance/falco")
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/vectors") }
    }()

    static func load(_ yaml: String, defaults: Bool = false) -> RuleSet {
        RuleSet.load(contents: [(name: "test.yaml", content: yaml)], includeDefaults: defaults)
    }

    /// Replays a fixture through the given rules and returns the alerts (no throttling).
    static func replay(_ events: String, rules: RuleSet) throws -> [Alert] {
        var session = ReplaySession(evaluator: RuleEvaluator(rules: rules), throttle: AlertThrottle(rate: 0, dedupWindowSeconds: 0), hostname: "test-host")
        var alerts: [Alert] = []
        _ = try session.run(path: events) { alerts.append($0) }
        return alerts
    }

    /// Writes events to a temporary JSON-lines file.
    static func temporaryEvents(_ lines: [String]) throws -> String {
        let path = NSTemporaryDirectory() + "vigil-events-\(UUID().uuidString).jsonl"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
