import Glibc

/// Runs work on a thread of its own with a large stack, for code that recurses as deep as its
/// input (jq's evaluator on deep values): the input then meets the code's own depth limits
/// rather than the 8 MiB main-thread stack's guard page.
public enum LargeStackThread {
    /// 1 GiB: address space only; pages are touched (and counted) as the recursion goes deep.
    public static let defaultStackSize = 1 << 30

    /// Runs `body` on a new thread with a `stackSize` stack and waits for it; runs it on the
    /// calling thread when no thread can be created.
    public static func run<T, E: Error>(stackSize: Int = defaultStackSize, _ body: () throws(E) -> T) throws(E) -> T {
        var result: Result<T, E>?
        withoutActuallyEscaping(body) { escapable in
            let work = Work {
                do throws(E) { result = .success(try escapable()) } catch { result = .failure(error) }
            }
            if !start(work, stackSize: stackSize) { work.run() }
        }
        return try result!.get()
    }

    /// What the new thread runs; a class so that one reference crosses `pthread_create`.
    private final class Work: @unchecked Sendable {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Starts and joins the thread; false when it could not be created.
    private static func start(_ work: Work, stackSize: Int) -> Bool {
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setstacksize(&attr, stackSize)
        var tid = pthread_t()
        let context = Unmanaged.passRetained(work).toOpaque()
        let rc = pthread_create(&tid, &attr, { raw in
            Unmanaged<Work>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<Work>.fromOpaque(context).release()
            return false
        }
        pthread_join(tid, nil)
        return true
    }
}
