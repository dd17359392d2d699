import SystemIO

/// Runs `body` on a thread with a 1 GiB stack (evaluation and deep values recurse).
func withLargeStack<T>(_ body: () throws -> T) throws -> T {
    try LargeStackThread.run(body)
}
