import VigilCore
/// Path normalisation for names inside archives and symlink targets.
public enum ArchivePath {
    /// Cleans an archive member name to a root-relative path (`./etc//os-release` → `etc/os-release`).
    /// Absolute names and `..` that climbs above the root are refused: no real image contains
    /// them, and tools that extract blindly are exploited through them.
    public static func clean(_ raw: String) throws(ContainerImageError) -> String {
        if raw.hasPrefix("/") {
            throw ContainerImageError(.pathTraversal, "entry '\(raw)' has an absolute path")
        }
        var parts: [Substring] = []
        for component in raw.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." {
                if parts.isEmpty {
                    throw ContainerImageError(.pathTraversal, "entry '\(raw)' escapes the root with '..' (path traversal)")
                }
                parts.removeLast()
                continue
            }
            parts.append(component)
        }
        return parts.joined(separator: "/")
    }

    /// Splits into parent directory ("" for the root) and last component.
    public static func split(_ path: String) -> (parent: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    /// All proper ancestors, nearest first (`a/b/c` → `a/b`, `a`).
    public static func ancestors(_ path: String) -> [String] {
        var result: [String] = []
        var current = path
        while let slash = current.lastIndex(of: "/") {
            current = String(current[..<slash])
            result.append(current)
        }
        return result
    }
}
