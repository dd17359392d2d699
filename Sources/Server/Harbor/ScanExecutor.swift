import Dispatch

/// A task executor on a serial dispatch queue of its own. A scan decompresses and analyses for
/// seconds without suspending; run on Swift's cooperative pool (one thread per core) it would
/// starve the request handlers of a 2-core node, so each scan worker runs its scans here.
final class ScanExecutor: TaskExecutor, @unchecked Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
