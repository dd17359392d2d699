import Foundation

/// Locates `../shared` (real feeds, inventories, images) and the built `vigil` binary.
enum SharedData {
    /// The repository root (three levels above this file).
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `$VIGIL_SHARED` or `<repo>/../shared`.
    static let root: String = {
        if let env = ProcessInfo.processInfo.environment["VIGIL_SHARED"], !env.isEmpty { return env }
        return (repoRoot as NSString).deletingLastPathComponent + "/shared"
    }()

    static func path(_ rel: String) -> String { root + "/" + rel }
    static func exists(_ rel: String) -> Bool { FileManager.default.fileExists(atPath: path(rel)) }
    static func bytes(_ rel: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path(rel)))) }
    static func text(_ rel: String) throws -> String { try String(contentsOfFile: path(rel), encoding: .utf8) }

    /// Whether the shared data is here; tests print why they skip when not.
    static var available: Bool {
        let ok = exists("data/inventories")
        if !ok { print("skipping: shared data not found at \(root) (set VIGIL_SHARED)") }
        return ok
    }

    /// The `vigil` executable built beside the test bundle.
    static var vigilBinary: String? {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir.appendingPathComponent("vigil").path, repoRoot + "/.build/debug/vigil", repoRoot + "/.build/release/vigil"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return nil
    }
}

/// Runs a program and captures its output.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String

    static func program(_ path: String, _ args: [String], environment: [String: String] = [:]) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes concurrently so a large report cannot block the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }
}
