import AlertDelivery
import Foundation
import RuleEngine
import Sensor
import Testing

@Suite struct SyslogOutputTests {
    /// A real alert: the default "shell in a container" rule on one recorded execve.
    static func alert() throws -> Alert {
        let event = #"{"type":"execve","ts":1733493600123456789,"pid":42,"ppid":1,"uid":0,"comm":"bash","exe":"/bin/bash","args":["bash","-i"],"container_id":"0123456789ab","tty":34816}"#
        let rules = RuleSet.load(contents: [], includeDefaults: true)
        var alerts: [Alert] = []
        var session = ReplaySession(evaluator: RuleEvaluator(rules: rules), throttle: AlertThrottle(rate: 0, burst: 0, dedupWindowSeconds: 0))
        let path = NSTemporaryDirectory() + "vigil-syslog-\(UUID().uuidString).jsonl"
        try (event + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        _ = try session.run(path: path, deliver: { alerts.append($0) })
        return try #require(alerts.first)
    }

    /// `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG` (RFC 5424 §6).
    static func check(_ message: String, _ alert: Alert, json: Bool) {
        let parts = message.split(separator: " ", maxSplits: 7, omittingEmptySubsequences: false).map(String.init)
        #expect(parts.count == 8)
        let pri = 3 * 8 + Int(alert.priority.syslogSeverity)
        #expect(parts[0] == "<\(pri)>1")
        #expect(parts[1] == "2024-12-06T14:00:00.123456789Z" || parts[1].hasPrefix("2024-12-06T14:00:00."))
        #expect(!parts[2].isEmpty && parts[3] == "vigil" && Int(parts[4]) == Int(getpid()))
        #expect(parts[5] == String(alert.rule.prefix(32)).replacingOccurrences(of: " ", with: "_"))
        #expect(parts[6] == "-")
        if json {
            #expect(parts[7] == alert.jsonLine())
        } else {
            #expect(parts[7] == "\(alert.priority.name) \(alert.output)")
        }
    }

    @Test func rfc5424OverAUnixSocket() throws {
        let path = NSTemporaryDirectory() + "vigil-log-\(UUID().uuidString.prefix(8))"
        let receiver = try DatagramReceiver(unixPath: path)
        let alert = try Self.alert()
        var out = try SyslogOutput(address: .unix(path), format: .json)
        try out.emit(alert)
        out.close()
        Self.check(try #require(receiver.receive()), alert, json: true)
    }

    @Test func rfc5424OverUDP() throws {
        let receiver = try DatagramReceiver(unixPath: nil)
        let alert = try Self.alert()
        var out = try SyslogOutput(address: try SyslogOutput.Address("udp:127.0.0.1:\(receiver.port)"), format: .text)
        try out.emit(alert)
        try out.emit(alert)
        out.close()
        Self.check(try #require(receiver.receive()), alert, json: false)
        Self.check(try #require(receiver.receive()), alert, json: false)
    }

    @Test func absentReceiverIsCountedAfterOneError() throws {
        var lines: [String] = []
        var out = try SyslogOutput(address: .unix("/nonexistent/vigil.sock"), format: .text, report: { lines.append($0) })
        let alert = try Self.alert()
        #expect(throws: RuleEngineError.self) { try out.emit(alert) }
        try out.emit(alert)
        out.close()
        #expect(lines == ["vigil: syslog: 2 messages could not be sent"])
    }

    @Test(arguments: ["/dev/log", "unix:dev/log", "udp:host", "udp::514", "udp:h:0", "tcp:h:514"])
    func badAddressesAreUsageErrors(text: String) {
        #expect(throws: AlertDeliveryError.self) { try SyslogOutput.Address(text) }
    }

    @Test func longMessagesAreCut() throws {
        var alert = try Self.alert()
        alert.output = String(repeating: "x", count: 20_000)
        let out = try SyslogOutput(address: .unix("/nonexistent/x"), format: .text)
        #expect(out.message(alert).count == SyslogOutput.maxMessageBytes)
    }
}
