import Hummingbird
import Prometheus

/// The server's Prometheus registry (one per server, never the process-global metrics system, so
/// two replicas in one test process keep separate counts) and the series it exports.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// Alerts stored (repeats of a delivery id are not counted).
    let alertsStored: Counter
    /// Alerts accepted in requests, by endpoint format (`vigil` for /api/v1/alerts, `falco` for /).
    let alertsReceivedVigil: Counter
    let alertsReceivedFalco: Counter

    static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
    ]

    static var stored: MetricNameDescriptor { MetricNameDescriptor(namespace: "vigil", metricName: "alerts_stored", unitName: "total",
                                              helpText: "Alerts stored in PostgreSQL (repeats of a delivery id excluded).") }
    static var received: MetricNameDescriptor { MetricNameDescriptor(namespace: "vigil", metricName: "alerts_received", unitName: "total",
                                                helpText: "Alerts accepted in requests, by endpoint format.") }
    static var requests: MetricNameDescriptor { MetricNameDescriptor(namespace: "vigil", subsystem: "http", metricName: "requests", unitName: "total",
                                                helpText: "HTTP requests by route pattern, method and status.") }
    static var duration: MetricNameDescriptor { MetricNameDescriptor(namespace: "vigil", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                                                helpText: "HTTP request duration by route pattern.") }

    init() {
        alertsStored = registry.makeCounter(descriptor: Self.stored)
        alertsReceivedVigil = registry.makeCounter(descriptor: Self.received, labels: [("format", "vigil")])
        alertsReceivedFalco = registry.makeCounter(descriptor: Self.received, labels: [("format", "falco")])
    }

    /// Counts alerts committed to PostgreSQL.
    func stored(_ n: Int) { alertsStored.increment(by: Int64(n)) }

    /// Counts alerts accepted in a request to `/api/v1/alerts` or (Falco's) `/`.
    func received(_ n: Int, falco: Bool) { (falco ? alertsReceivedFalco : alertsReceivedVigil).increment(by: Int64(n)) }

    static var scans: MetricNameDescriptor { MetricNameDescriptor(namespace: "vigil", metricName: "scans_finished", unitName: "total",
                                             helpText: "Scan jobs this replica finished, by outcome (done, failed).") }

    /// Counts a scan job this replica finished (`done` or `failed`).
    func scanFinished(_ outcome: String) { registry.makeCounter(descriptor: Self.scans, labels: [("outcome", outcome)]).increment() }

    /// Counts one finished request under its route pattern (never the raw path: ids in paths would
    /// make a series per request).
    func record(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("method", method), ("status", String(status))])
            .increment()
        registry.makeDurationHistogram(descriptor: Self.duration, labels: [("route", route)], buckets: Self.durationBuckets)
            .record(duration)
    }

    /// The Prometheus text exposition.
    func emit() -> [UInt8] {
        var out: [UInt8] = []
        registry.emit(into: &out)
        return out
    }
}

/// Records every request in `ServerMetrics`, including those that end in an error.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.record(route: context.endpointPath ?? "unmatched", method: request.method.rawValue,
                           status: response.status.code, duration: ContinuousClock.now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.record(route: context.endpointPath ?? "unmatched", method: request.method.rawValue,
                           status: status, duration: ContinuousClock.now - start)
            throw error
        }
    }
}
