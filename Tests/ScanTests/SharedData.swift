import Foundation

/// Locates `../shared` (real feeds and images) and the `vigil` binary built beside the tests.
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

    /// The feeds and the alpine image the comparison uses.
    static var available: Bool {
        ["data/feeds/alpine-secdb", "data/feeds/cwe", "data/images/alpine-3.10.4-docker-archive.tar.gz"]
            .allSatisfy { FileManager.default.fileExists(atPath: path($0)) }
    }

    /// The `vigil` executable of this build (`swift build --build-tests` builds it beside the test bundle).
    static var vigilBinary: String? {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir.appendingPathComponent("vigil").path, repoRoot + "/.build/debug/vigil"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return nil
    }
}
