import Glibc
import SystemIO
import Testing

@Suite struct LargeStackThreadTests {
    struct Failure: Error, Equatable { var value: Int }

    /// Recursion 64 MiB deep: past the 8 MiB a test thread has, well inside the large stack.
    @Test func recursesDeeperThanAnOrdinaryThreadCould() {
        #expect(LargeStackThread.run { depth(64 << 10) } == 64 << 10)
    }

    /// One frame holding a 1 KiB buffer per level.
    @inline(never)
    func depth(_ n: Int) -> Int {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { buffer in
            buffer.initialize(repeating: UInt8(truncatingIfNeeded: n))
            return n == 0 ? Int(buffer[0]) : 1 + depth(n - 1)
        }
    }

    @Test func returnsTheResultAndRethrowsTheError() {
        #expect(LargeStackThread.run { 6 * 7 } == 42)
        #expect(throws: Failure(value: 3)) { try LargeStackThread.run { () throws(Failure) -> Int in throw Failure(value: 3) } }
    }
}
