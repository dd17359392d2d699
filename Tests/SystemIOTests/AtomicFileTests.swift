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

    /// A symbolic link is written through, as a shell redirection would: the link stays.
    @Test func writesThroughASymbolicLink() throws {
        let target = try TemporaryFile.write(Array("old".utf8))
        let link = TemporaryFile.path()
        #expect(symlink(target, link) == 0)
        try AtomicFile.write(Array("through".utf8), to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "through")
    }

    /// `-o /dev/null` must not replace the device node with a file.
    @Test func writesThroughADevice() throws {
        try AtomicFile.write(Array("discarded".utf8), to: "/dev/null")
        var st = stat()
        #expect(lstat("/dev/null", &st) == 0 && FileKind(mode: st.st_mode) == .characterDevice)
    }

    @Test func namesTheFileWhenItCannotBeWritten() {
        let error = #expect(throws: SystemIOError.self) { try AtomicFile.write([1], to: "/nonexistent/dir/out.json") }
        #expect(error?.code == "io.open")
        #expect(error?.description == "/nonexistent/dir/out.json: No such file or directory")
    }
}
