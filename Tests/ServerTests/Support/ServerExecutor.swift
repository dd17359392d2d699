import Dispatch

/// Where the in-process test servers run. Swift's cooperative pool has one thread per core (two
/// here) and the whole test run shares it; synchronous tests that wait on child processes hold
/// those threads for seconds, and a server on the same pool then misses its clients' deadlines.
/// A concurrent dispatch queue grows threads as needed, so the servers answer whatever the rest
/// of the run is doing. Child tasks inherit the preference (Hummingbird's connection handlers are
/// structured children of `run`).
final class ServerExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = ServerExecutor()
    private let queue = DispatchQueue(label: "vigil.test-server", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
