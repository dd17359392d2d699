import Synchronization
import VigilCore

/// Runs database work with a time limit. PostgresClient queues a connection request for as long
/// as PostgreSQL is unreachable, so without a limit a request would hang until the client gives
/// up; the work is raced against a timer in unstructured tasks, so even work that ignores
/// cancellation cannot hold the caller past the deadline.
enum Deadline {
    /// The executor the racing tasks prefer: nil (Swift's global pool) unless the server was
    /// started with `VigilServer.run(executor:)`; the tests give their in-process servers a pool
    /// of their own so the rest of a test run cannot starve the deadline race.
    @TaskLocal static var executor: (any TaskExecutor)?

    static func run<T: Sendable>(_ limit: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
            let once = Once()
            let work = Task(executorPreference: executor) {
                do {
                    let v = try await body()
                    if once.claim() { c.resume(returning: v) }
                } catch {
                    if once.claim() { c.resume(throwing: error) }
                }
            }
            Task(executorPreference: executor) {
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
