import Foundation
import RuleEngine
import Sensor

/// Rule sets, replays and fixture paths shared by the RuleEngine tests (the shared-data locator is
/// `TestSupport.SharedData`).
enum RuleFixtures {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

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
