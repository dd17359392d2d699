import Foundation
import SystemIO
import Testing

@Suite struct WholeFileTests {
    @Test func readsAFileWhole() throws {
        let path = try TemporaryFile.write(Array("one\ntwo\n".utf8))
        #expect(try WholeFile.read(path, limit: 1024) == Array("one\ntwo\n".utf8))
    }

    /// A regular file over the limit fails before a byte is read, naming the file and its size.
    @Test func refusesALargeRegularFileUpFront() throws {
        let path = try TemporaryFile.write([UInt8](repeating: 0x41, count: 4097))
        let error = #expect(throws: SystemIOError.self) { try WholeFile.read(path, limit: 4096) }
        #expect(error?.code == "io.too-large")
        #expect(error?.size == 4097)
        #expect(error?.description == "\(path): 4097 bytes is more than the 4096 bytes limit")
    }

    /// A device has no size: the limit holds while reading (`/dev/zero` would never end).
    @Test func stopsADeviceAtTheLimit() {
        let error = #expect(throws: SystemIOError.self) { try WholeFile.read("/dev/zero", limit: 1 << 20) }
        #expect(error?.reason == .tooLarge && error?.size == nil)
        #expect(error?.description == "/dev/zero: more than the 1 MiB limit")
    }

    @Test func refusesDirectoriesAndFIFOsWithoutBlocking() throws {
        let dir = NSTemporaryDirectory() + "systemio-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let directoryError = #expect(throws: SystemIOError.self) { try WholeFile.read(dir, limit: 1024) }
        #expect(directoryError?.description == "\(dir): is a directory, not a file")
        let fifo = dir + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let fifoError = #expect(throws: SystemIOError.self) { try WholeFile.read(fifo, limit: 1024) }
        #expect(fifoError?.code == "io.not-a-file")
        #expect(fifoError?.description == "\(fifo): is a FIFO, not a regular file")
    }

    @Test func namesAMissingFileWithTheSystemsReason() {
        let error = #expect(throws: SystemIOError.self) { try WholeFile.read("/nonexistent/vigil", limit: 1024) }
        #expect(error?.code == "io.open")
        #expect(error?.description == "/nonexistent/vigil: No such file or directory")
    }

    /// The caller decides which kinds are files: feeds take regular files only.
    @Test func acceptsOnlyWhatTheCallerAllows() {
        let error = #expect(throws: SystemIOError.self) { try WholeFile.read("/dev/null", limit: 1024) { $0 == .regular } }
        #expect(error?.kind == .characterDevice)
        #expect(error?.problem == "is a character device, not a regular file")
    }
}

/// Files under the temporary directory for one test.
enum TemporaryFile {
    static func path() -> String { NSTemporaryDirectory() + "systemio-\(UUID().uuidString)" }

    static func write(_ bytes: [UInt8]) throws -> String {
        let path = path()
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
