import Foundation

/// Where `scripts/fetch-lang-binary-fixtures.sh` unpacks the real Debian packages, and the
/// independent tools the language-binary tests derive their expectations from.
enum LangBinaryFixtures {
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let packages = repoRoot + "/.build/lang-binary-fixtures/pkgs"

    static var available: Bool {
        let ok = FileManager.default.fileExists(atPath: packages + "/runc.version")
        if !ok { print("skipping: run scripts/fetch-lang-binary-fixtures.sh for the real Debian Go programs and jars") }
        return ok
    }

    static func tool(_ path: String) -> Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// Runs a program; stdout as text (stderr is kept for failure messages).
    static func run(_ program: String, _ args: [String], environment: [String: String] = [:], in directory: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// `0.9.1-2` → `0.9.1` (Debian revision dropped).
    static func upstream(_ package: String) throws -> String {
        var v = Substring(try String(contentsOfFile: packages + "/\(package).version", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        if let colon = v.firstIndex(of: ":") { v = v[v.index(after: colon)...] }
        if let dash = v.lastIndex(of: "-") { v = v[..<dash] }
        if let plus = v.firstIndex(of: "+") { v = v[..<plus] }
        return String(v)
    }

    /// Copies `source` to `root/target`, creating directories, keeping the mode.
    static func place(_ source: String, in root: String, as target: String) throws {
        let dest = root + "/" + target
        try FileManager.default.createDirectory(atPath: (dest as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source, toPath: dest)
    }
}
