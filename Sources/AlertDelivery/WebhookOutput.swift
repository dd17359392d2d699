import RuleEngine
import VigilCore

/// `vigil watch --webhook URL`: each alert as Falco's JSON to an HTTP receiver, through a
/// bounded on-disk spool and a delivery thread (`WebhookDelivery`), so the event loop never waits
/// for the network and nothing is lost while the receiver is down.
public struct WebhookOutput: AlertOutput {
    public let delivery: WebhookDelivery
    /// Seconds `close` keeps sending what is queued while the receiver answers.
    public var graceSeconds: Double
    /// Receives the closing summary line (the CLI prints it on stderr).
    public var report: (String) -> Void
    private var warnedFull = false

    /// `bearerToken`, when given, goes out as `Authorization: Bearer …` (`vigil server` needs it).
    /// `batchLines` > 1 posts up to that many alerts per request as NDJSON (`vigil watch --server`).
    public init(url: String, spoolDirectory: String, spoolBytes: Int, graceSeconds: Double = 10, bearerToken: String? = nil,
                batchLines: Int = 1, report: @escaping (String) -> Void) throws(AlertDeliveryError) {
        let endpoint = try HTTPEndpoint(url: url)
        let spool = try AlertSpool(directory: spoolDirectory, maxBytes: spoolBytes)
        var headers: [(String, String)] = []
        if let bearerToken {
            // A header value with CR/LF would let the variable forge headers; never echo the token.
            guard !bearerToken.isEmpty, bearerToken.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
                throw AlertDeliveryError(.usage, "the webhook token is empty or contains spaces or control characters")
            }
            headers.append(("Authorization", "Bearer \(bearerToken)"))
        }
        delivery = WebhookDelivery(endpoint: endpoint, spool: spool, extraHeaders: headers, batchLines: batchLines)
        self.graceSeconds = graceSeconds
        self.report = report
        try delivery.start()
    }

    public mutating func emit(_ alert: Alert) throws(RuleEngineError) {
        let accepted: Bool
        do { accepted = try delivery.submit(alert.jsonBytes()) } catch {
            throw RuleEngineError(.output, error.message, location: error.location)
        }
        if !accepted, !warnedFull {
            warnedFull = true
            throw RuleEngineError(.output, "webhook spool is full (\(delivery.spool.maxBytes) bytes): alerts are dropped and counted until the receiver catches up",
                                  location: delivery.spool.directory)
        }
    }

    public mutating func close() {
        let s = delivery.finish(graceSeconds: graceSeconds)
        var line = "vigil: webhook \(delivery.endpoint.url): \(s.delivered) delivered"
        if s.retries > 0 { line += ", \(s.retries) attempts retried" }
        if s.rejected > 0 { line += ", \(s.rejected) rejected by the receiver (4xx)" }
        if s.pending > 0 { line += ", \(s.pending) kept in \(delivery.spool.directory) for the next run" }
        if s.dropped > 0 { line += ", \(s.dropped) dropped (spool full)" }
        report(line)
    }
}
