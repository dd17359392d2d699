import Logging
import PostgresNIO
import Synchronization

/// Group commit for alerts: requests queue their rows and wait; a writer loop takes everything
/// queued (up to `maxBatchRows`) into one INSERT … SELECT FROM unnest(arrays), so 64 concurrent
/// one-alert requests cost a few statements, not 64. At most `connections` INSERTs run at once.
/// One statement per batch with a fixed number of array parameters (never one per row), so the
/// 65,535-parameter limit does not bound the batch.
final class AlertWriter: Sendable {
    /// Rows of one tenant waiting for the writer, and whom to tell when they are stored.
    private struct Pending {
        var tenant: String
        var records: [AlertRecord]
        var continuation: CheckedContinuation<Int, any Error>
    }

    private let queue = Mutex<(items: [Pending], rows: Int)>(([], 0))
    private let wake: AsyncStream<Void>.Continuation
    private let wakeStream: AsyncStream<Void>
    private let client: PostgresClient
    private let logger: Logger
    private let maxBatchRows: Int
    private let connections: Int
    private let stored: @Sendable (Int) -> Void

    init(client: PostgresClient, logger: Logger, maxBatchRows: Int, connections: Int, stored: @escaping @Sendable (Int) -> Void) {
        (wakeStream, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.client = client
        self.logger = logger
        self.maxBatchRows = max(1, maxBatchRows)
        self.connections = max(1, connections)
        self.stored = stored
    }

    /// Stores the records for `tenant` and returns their count once committed (repeats of a
    /// delivery id are skipped by the unique key, silently: the sender only needs to know its
    /// alerts are safe).
    func insert(_ records: [AlertRecord], tenant: String) async throws -> Int {
        if records.isEmpty { return 0 }
        return try await withCheckedThrowingContinuation { c in
            queue.withLock { q in
                q.items.append(Pending(tenant: tenant, records: records, continuation: c))
                q.rows += records.count
            }
            wake.yield()
        }
    }

    /// Takes queued requests up to `maxBatchRows` rows (always at least one request).
    private func take() -> [Pending] {
        queue.withLock { q in
            guard !q.items.isEmpty else { return [] }
            var n = 0, rows = 0
            while n < q.items.count, n == 0 || rows + q.items[n].records.count <= maxBatchRows {
                rows += q.items[n].records.count
                n += 1
            }
            let batch = Array(q.items[0..<n])
            q.items.removeFirst(n)
            q.rows -= rows
            return batch
        }
    }

    /// The writer loop; runs until the task is cancelled, then fails what is still queued.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for await _ in wakeStream {
                while true {
                    if inFlight >= connections {
                        // The queue keeps growing while we wait: the next batch is bigger.
                        await group.next()
                        inFlight -= 1
                    }
                    let batch = take()
                    if batch.isEmpty { break }
                    inFlight += 1
                    group.addTask { await self.write(batch) }
                }
            }
            await group.waitForAll()
        }
        let left = queue.withLock { q in
            let items = q.items
            q.items = []
            q.rows = 0
            return items
        }
        for p in left { p.continuation.resume(throwing: CancellationError()) }
    }

    /// Stops the loop (server shutdown).
    func finish() { wake.finish() }

    private func write(_ batch: [Pending]) async {
        var tenants: [String] = [], nodes: [String] = [], containers: [String] = [], images: [String] = []
        var rules: [String] = [], priorities: [String] = [], times: [Int64] = [], keys: [String] = [], bodies: [String] = []
        let total = batch.reduce(0) { $0 + $1.records.count }
        tenants.reserveCapacity(total); nodes.reserveCapacity(total); containers.reserveCapacity(total)
        images.reserveCapacity(total); rules.reserveCapacity(total); priorities.reserveCapacity(total)
        times.reserveCapacity(total); keys.reserveCapacity(total); bodies.reserveCapacity(total)
        for p in batch {
            for r in p.records {
                tenants.append(p.tenant); nodes.append(r.node); containers.append(r.containerID); images.append(r.image)
                rules.append(r.rule); priorities.append(r.priority); times.append(r.timeMicros); keys.append(r.dedupKey)
                bodies.append(r.body)
            }
        }
        do {
            let query: PostgresQuery = """
                WITH ins AS (
                    INSERT INTO alerts (tenant, node, container_id, image, rule, priority, time, dedup_key, body)
                    SELECT t, n, c, NULLIF(i, ''), r, p, timestamptz 'epoch' + m * interval '1 microsecond', NULLIF(k, ''), b::jsonb
                    FROM unnest(\(tenants)::text[], \(nodes)::text[], \(containers)::text[], \(images)::text[], \(rules)::text[],
                                \(priorities)::text[], \(times)::int8[], \(keys)::text[], \(bodies)::text[]) AS u(t, n, c, i, r, p, m, k, b)
                    ON CONFLICT DO NOTHING
                    RETURNING 1)
                SELECT count(*) FROM ins
                """
            // A batch that cannot be stored within the limit fails its requests (503: the senders
            // retry from their spools); the statement itself may still commit, which the delivery
            // ids make harmless.
            let inserted = try await Deadline.run(.seconds(15), "storing alerts") { [client, logger] in
                var n = 0
                for try await v in try await client.query(query, logger: logger).decode(Int.self) { n = v }
                return n
            }
            stored(inserted)
            // The count is per statement; each request learns how many it sent, which is what it
            // needs (repeats are indistinguishable from stored ones to the sender, by design).
            for p in batch { p.continuation.resume(returning: p.records.count) }
        } catch {
            logger.error("storing \(total) alerts failed: \(PostgresErrorText.describe(error))")
            for p in batch { p.continuation.resume(throwing: error) }
        }
    }
}
