import Foundation
import SystemIO
import Testing

@Suite struct AtomicFileTests {
    @Test func replacesARegularFileAndLeavesNoTemporary() throws {
        let dir = TemporaryFile.path()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/report.json"
        try AtomicFile.write(Array("old".utf8), to: path)
        try AtomicFile.write(Array("new content".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new content")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["report.json"])
    }

    /// A symbolic link or a FIFO planted at the temporary name the write would use first is
    /// neither followed nor opened: the victim behind the link keeps its content, nothing
    /// blocks on the FIFO, and the report still lands (under the next name).
    @Test func plantedTemporaryNamesAreNotFollowed() throws {
        let dir = TemporaryFile.path()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let victim = try TemporaryFile.write(Array("precious".utf8))
        for plant in ["symlink", "fifo"] {
            let path = dir + "/report-\(plant).json"
            let first = path + ".vigil-tmp-\(getpid())-0"
            if plant == "symlink" { #expect(symlink(victim, first) == 0) } else { #expect(mkfifo(first, 0o600) == 0) }
            try AtomicFile.write(Array("report".utf8), to: path)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "report")
            #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
            #expect(FileKind(path: first, followLinks: false) == (plant == "symlink" ? .symbolicLink : .fifo))
        }
    }

    /// A symbolic link is written through, as a shell redirection would: the link stays.
    @Test func writesThroughASymbolicLink() throws {
        let target = try TemporaryFile.write(Array("old".utf8))
        let link = TemporaryFile.path()
        #expect(symlink(target, link) == 0)
        try AtomicFile.write(Array("through".utf8), to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "through")
    }

    /// A FIFO (as a device node would be) is written into and stays a FIFO: renaming over it
    /// would replace it with a file (`-o /dev/null` would delete /dev/null). A FIFO of the test's
    /// own, so a failure cannot break the machine's /dev/null.
    @Test func writesThroughAFIFO() throws {
        let fifo = TemporaryFile.path()
        #expect(mkfifo(fifo, 0o600) == 0)
        final class Received: @unchecked Sendable { var bytes: [UInt8] = [] }
        let received = Received()
        let done = DispatchSemaphore(value: 0)
        Thread {
            let fd = open(fifo, O_RDONLY)
            received.bytes = (try? DescriptorIO.readAll(fd, path: fifo, limit: 1 << 20)) ?? []
            close(fd)
            done.signal()
        }.start()
        try AtomicFile.write(Array("through the pipe".utf8), to: fifo)
        done.wait()
        #expect(received.bytes == Array("through the pipe".utf8))
        #expect(FileKind(path: fifo, followLinks: false) == .fifo)
    }

    @Test func namesTheFileWhenItCannotBeWritten() {
        let error = #expect(throws: SystemIOError.self) { try AtomicFile.write([1], to: "/nonexistent/dir/out.json") }
        #expect(error?.code == "io.open")
        #expect(error?.description == "/nonexistent/dir/out.json: No such file or directory")
    }
}
