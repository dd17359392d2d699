import Foundation
import SystemIO
import Testing

@Suite struct DescriptorIOTests {
    /// More than a pipe holds (64 KiB): the writer blocks, the reader drains, every byte arrives
    /// in order.
    @Test func writesEveryByteThroughAPipe() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let writeEnd = fds[1]
        let writer = Thread { [payload] in
            let status = DescriptorIO.writeAll(writeEnd, payload)
            precondition(status == 0)
            close(writeEnd)
        }
        writer.start()
        let read = try DescriptorIO.readAll(fds[0], path: "pipe", limit: 2 << 20)
        close(fds[0])
        #expect(read == payload)
    }

    @Test func reportsTheErrnoOfAFailedWrite() {
        #expect(DescriptorIO.writeAll(-1, [1, 2, 3]) == EBADF)
        #expect(DescriptorIO.sendAll(-1, [1, 2, 3]) == EBADF)
        #expect(DescriptorIO.writeAll(-1, []) == 0)
    }

    @Test func readAllHoldsItsLimit() {
        let fd = open("/dev/zero", O_RDONLY)
        defer { close(fd) }
        let error = #expect(throws: SystemIOError.self) { try DescriptorIO.readAll(fd, path: "/dev/zero", limit: 100_000) }
        #expect(error?.reason == .tooLarge)
    }

    @Test func aFileDescriptorClosesWhenItGoesAway() {
        var raw: Int32 = -1
        do {
            let descriptor = FileDescriptor(owning: open("/dev/null", O_RDONLY))
            raw = descriptor.rawValue
            #expect(fcntl(raw, F_GETFD) >= 0)
        }
        #expect(fcntl(raw, F_GETFD) == -1 && errno == EBADF)
        let released = FileDescriptor(owning: open("/dev/null", O_RDONLY))
        let kept = released.release()
        #expect(released.rawValue == -1)
        #expect(close(kept) == 0)
    }
}
