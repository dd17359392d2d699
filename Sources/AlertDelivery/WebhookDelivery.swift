/// Sends the lines of an `AlertSpool` to an HTTP receiver on its own thread: each line is one
/// POST (Falco's JSON alert, the body falcosidekick and Falco's `http_output` use), acknowledged
/// only after a 2xx answer, retried with exponential back-off (0.1 s doubling to 5 s) while the
/// receiver is down or failing. Every request carries `X-Vigil-Alert-ID` (the line's place in
/// the spool), stable across retries, so a receiver can discard a repeat.
public final class WebhookDelivery: @unchecked Sendable {
    public let endpoint: HTTPEndpoint
    public let spool: AlertSpool
    private let state = Monitor()
    private var counts = Summary()
    private var closeDeadline = Double.infinity
    private var thread: WorkerThread?

    /// What happened to the alerts, for the closing line.
    public struct Summary: Sendable, Equatable {
        /// Answered 2xx.
        public var delivered = 0
        /// Answered 4xx other than 408/429: the receiver will never take them; dropped, counted.
        public var rejected = 0
        /// Attempts that failed and were retried (connection refused, timeouts, 5xx, 408, 429).
        public var retries = 0
        /// Lines still in the spool at exit (delivered by the next run).
        public var pending = 0
        /// Dropped by the spool (full, or a line over its limit).
        public var dropped = 0
    }

    /// Sent with every request (e.g. `Authorization` for `vigil server`).
    public let extraHeaders: [(String, String)]

    /// Alerts per request: 1 posts each alert as its own JSON body (Falco's `http_output`
    /// shape); more posts up to that many as one NDJSON body (`vigil server` takes both).
    public let batchLines: Int

    public init(endpoint: HTTPEndpoint, spool: AlertSpool, extraHeaders: [(String, String)] = [], batchLines: Int = 1) {
        self.endpoint = endpoint
        self.spool = spool
        self.extraHeaders = extraHeaders
        self.batchLines = max(1, batchLines)
    }

    /// Starts the delivery thread (it first sends what an earlier run left in the spool).
    public func start() throws(AlertDeliveryError) {
        let t = WorkerThread { [self] in run() }
        try t.start()
        thread = t
    }

    /// Queues one alert line; false when the spool dropped it.
    @discardableResult
    public func submit(_ line: [UInt8]) throws(AlertDeliveryError) -> Bool {
        try spool.append(line)
    }

    /// Stops accepting and keeps sending (and retrying a receiver that is down) for up to
    /// `graceSeconds`, then stops the thread and returns the counts. What is left stays in the spool.
    public func finish(graceSeconds: Double) -> Summary {
        state.locked { closeDeadline = MonotonicSeconds.now() + graceSeconds }
        spool.beginClosing()
        thread?.join()
        thread = nil
        var s = state.locked { counts }
        s.pending = spool.pendingLines()
        s.dropped = spool.dropped
        return s
    }

    private func run() {
        var backoff = 0.1
        while true {
            let closing = spool.isClosing
            if closing, MonotonicSeconds.now() >= state.locked({ closeDeadline }) { return }
            // One line, or a batch of consecutive lines sent as NDJSON. The id is the first
            // line's place in the spool; the server makes `id#n` of it for the n-th line, so a
            // resent batch (even a longer one) repeats the same ids.
            guard let (lines, id) = batchLines > 1 ? spool.nextBatch(maxLines: batchLines, maxBytes: 4 << 20)
                    : spool.next().map({ ([$0.line], $0.id) }) else {
                if closing { return }
                spool.waitForData(seconds: 0.5)
                continue
            }
            var body: [UInt8] = lines[0]
            if batchLines > 1 {
                body = []
                for line in lines { body += line; body.append(0x0A) }
            }
            var status = 0
            do { status = try endpoint.post(body, headers: extraHeaders + [("X-Vigil-Alert-ID", id)]) } catch { status = 0 }
            if (200..<300).contains(status) {
                if batchLines > 1 { spool.acknowledge(batch: lines) } else { spool.acknowledge(lines[0]) }
                state.locked { counts.delivered += lines.count }
                backoff = 0.1
            } else if (400..<500).contains(status), status != 408, status != 429 {
                if batchLines > 1 { spool.acknowledge(batch: lines) } else { spool.acknowledge(lines[0]) }
                state.locked { counts.rejected += lines.count }
            } else {
                state.locked { counts.retries += 1 }
                // Closing: keep retrying until the grace deadline, then leave the rest in the spool.
                let left = state.locked { closeDeadline } - MonotonicSeconds.now()
                if spool.isClosing, left <= 0 { return }
                spool.pause(seconds: min(backoff, max(0.01, left)))
                backoff = min(backoff * 2, 5)
            }
        }
    }
}
