import Foundation
import SystemIO
import VigilCore

/// The Dockerfiles `vigil config` checks: a file itself, or every Dockerfile under a directory.
public enum DockerfileFinder {
    /// Whether a file name is a Dockerfile by name.
    public static func isDockerfileName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower == "dockerfile" || lower == "containerfile" || lower.hasSuffix(".dockerfile") || lower.hasPrefix("dockerfile.")
            || lower.hasSuffix(".containerfile") || lower.hasPrefix("containerfile.")
    }

    /// (path to read, Target to report): the file itself, or every Dockerfile under a directory
    /// (relative paths, sorted; hidden directories and node_modules skipped).
    public static func dockerfiles(at path: String) throws -> [(String, String)] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw ScanPipelineError(.input, "\(path): no such file or directory")
        }
        guard isDir.boolValue else { return [(path, path)] }
        var found: [String] = []
        var stack = [""]
        while let rel = stack.popLast() {
            let dir = rel.isEmpty ? path : path + "/" + rel
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
                throw ScanPipelineError(.input, "\(dir): cannot read directory")
            }
            for name in names.sorted() {
                let child = rel.isEmpty ? name : rel + "/" + name
                let full = path + "/" + child
                guard let kind = FileKind(path: full, followLinks: false) else { continue }
                if kind == .directory {
                    if !name.hasPrefix("."), name != "node_modules" { stack.append(child) }
                } else if (kind == .regular || kind == .symbolicLink), isDockerfileName(name) {
                    found.append(child)
                }
            }
        }
        guard !found.isEmpty else {
            throw ScanPipelineError(.input, "\(path): no Dockerfile found (looked for Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*)")
        }
        return found.sorted().map { (path + "/" + $0, $0) }
    }
}
