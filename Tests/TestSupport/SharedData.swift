import Foundation

/// Locates `../shared` (real feeds, inventories, images, conformance suites) and the built `vigil`
/// binary, for every test target (the one locator: tests never spell `../shared` themselves).
public enum SharedData {
    /// The repository root (three levels above this file).
    public static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `$VIGIL_SHARED` or `<repo>/../shared`.
    public static let root: String = {
        if let env = ProcessInfo.processInfo.environment["VIGIL_SHARED"], !env.isEmpty { return env }
        return (repoRoot as NSString).deletingLastPathComponent + "/shared"
    }()

    public static func path(_ rel: String) -> String { root + "/" + rel }
    public static func exists(_ rel: String) -> Bool { FileManager.default.fileExists(atPath: path(rel)) }
    public static func bytes(_ rel: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path(rel)))) }
    public static func text(_ rel: String) throws -> String { try String(contentsOfFile: path(rel), encoding: .utf8) }

    /// Whether the shared data is here (its inventories, which every data set ships with).
    public static var available: Bool { exists("data/inventories") }

    /// Falco's conformance vectors: `$VIGIL_FALCO_CONFORMANCE`, else `conformance/falco` in the
    /// shared data, when it has a `vectors` directory.
    public static let falcoConformance: String? = {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["VIGIL_FALCO_CONFORMANCE"], !env.isEmpty { candidates.append(env) }
        candidates.append(path("conformance/falco"))
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/vectors") }
    }()

    /// The `vigil` executable built beside the test bundle.
    public static var vigilBinary: String? {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir.appendingPathComponent("vigil").path, repoRoot + "/.build/debug/vigil", repoRoot + "/.build/release/vigil"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return nil
    }
}
