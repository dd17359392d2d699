#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` on a thread with a 1 GiB stack (evaluation and deep values recurse).
final class LargeStackTask: @unchecked Sendable {
    var run: (() -> Void)?
}

func withLargeStack<T>(_ body: () throws -> T) throws -> T {
    typealias Box = LargeStackTask
    var result: Result<T, any Error>?
    try withoutActuallyEscaping(body) { escapable in
        let box = Box()
        box.run = { result = Result { try escapable() } }
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        pthread_attr_setstacksize(&attr, 1 << 30)
        var tid = pthread_t()
        let ctx = Unmanaged.passRetained(box).toOpaque()
        let rc = pthread_create(&tid, &attr, { raw in
            let b = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            b.run?()
            return nil
        }, ctx)
        if rc != 0 {
            Unmanaged<Box>.fromOpaque(ctx).release()
            result = Result { try escapable() }
        } else {
            pthread_join(tid, nil)
        }
        _ = try result!.get()
    }
    return try result!.get()
}
