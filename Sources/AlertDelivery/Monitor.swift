import VigilCore
#if canImport(Glibc)
import Glibc
#endif

/// A mutex with one condition variable (pthread), for the state the event loop and a delivery
/// thread share. A class so both threads hold the same one; it lives in this target, which is
/// compiled with atomic reference counting (RuleEngine and Sensor are not: see Package.swift).
final class Monitor: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        cond.deallocate()
        mutex.deallocate()
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Wakes every waiter; call with or without the lock held.
    func broadcast() { pthread_cond_broadcast(cond) }

    /// Waits (with the lock held by the caller inside `locked`) until signalled or `seconds` pass.
    func wait(seconds: Double) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let total = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9 + max(0, seconds)
        var until = timespec(tv_sec: Int(total), tv_nsec: Int((total - total.rounded(.down)) * 1e9))
        _ = pthread_cond_timedwait(cond, mutex, &until)
    }
}

/// Starts a detached-from-Swift pthread running `body`; `join()` waits for it.
final class WorkerThread: @unchecked Sendable {
    private var tid = pthread_t()
    private let body: () -> Void

    init(_ body: @escaping () -> Void) {
        self.body = body
    }

    func start() throws(AlertDeliveryError) {
        let box = Unmanaged.passRetained(self)
        let rc = pthread_create(&tid, nil, { raw in
            let me = Unmanaged<WorkerThread>.fromOpaque(raw!).takeRetainedValue()
            me.body()
            return nil
        }, box.toOpaque())
        if rc != 0 {
            box.release()
            throw AlertDeliveryError(.spool, "cannot start the delivery thread: \(String(cString: strerror(rc)))")
        }
    }

    func join() { pthread_join(tid, nil) }
}

/// Seconds on the monotonic clock, for back-off deadlines.
enum MonotonicSeconds {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
