import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A long-running child with stdout/stderr in files, reaped with waitpid: Foundation's own
/// monitoring needs SIGCHLD, which the test runner keeps blocked.
public final class Background: @unchecked Sendable {
    public let process: Process
    private var exitStatus: Int32?

    private init(_ p: Process) { process = p }

    public static func start(_ path: String, _ args: [String], stderr: String, stdout: String = "/dev/null") throws -> Background {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.standardError = try output(stderr)
        p.standardOutput = try output(stdout)
        try p.run()
        return Background(p)
    }

    /// The file opened for writing, created or truncated in place. Not `FileManager.createFile`:
    /// it writes a temporary file and renames it over the path, so `stderr: "/dev/null"` run as
    /// root replaced the device node with a regular file for every process on the machine.
    static func output(_ path: String) throws -> FileHandle {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    public var isRunning: Bool {
        if exitStatus != nil { return false }
        var status: Int32 = 0
        let r = waitpid(process.processIdentifier, &status, WNOHANG)
        if r == process.processIdentifier {
            exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            return false
        }
        if r < 0, !process.isRunning {
            // Foundation reaped it first
            exitStatus = process.terminationStatus
            return false
        }
        return r == 0 || process.isRunning
    }

    public func interrupt() { if isRunning { kill(process.processIdentifier, SIGINT) } }

    /// Exit status, or nil if it did not exit in time.
    public func wait(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning && Date() < deadline { usleep(20_000) }
        return isRunning ? nil : exitStatus
    }

    /// SIGTERM, then SIGKILL (children of the test runner may start with signals blocked).
    public func terminate() {
        guard isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        if wait(seconds: 3) == nil { kill(process.processIdentifier, SIGKILL); _ = wait(seconds: 3) }
    }

    public static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    public static func waitFor(file: String, containing text: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if read(file).contains(text) { return true }
            usleep(50_000)
        }
        return false
    }
}
