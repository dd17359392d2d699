import Synchronization
import VigilCore

/// Runs database work with a time limit. PostgresClient queues a connection request for as long
/// as PostgreSQL is unreachable, so without a limit a request would hang until the client gives
/// up; the work is raced against a timer in unstructured tasks, so even work that ignores
/// cancellation cannot hold the caller past the deadline.
enum Deadline {
    static func run<T: Sendable>(_ limit: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
            let once = Once()
            let work = Task {
                do {
                    let v = try await body()
                    if once.claim() { c.resume(returning: v) }
                } catch {
                    if once.claim() { c.resume(throwing: error) }
                }
            }
            Task {
                try? await Task.sleep(for: limit)
                if once.claim() {
                    work.cancel()
                    c.resume(throwing: ServerError(.database, "\(what): PostgreSQL did not answer within \(limit)"))
                }
            }
        }
    }
}

/// True for the first caller only.
private final class Once: Sendable {
    private let done = Mutex(false)

    func claim() -> Bool {
        done.withLock { d in
            defer { d = true }
            return !d
        }
    }
}
