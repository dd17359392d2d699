import VigilCore
/// Resolves a path component by component the way the kernel does inside a chroot: `..` stops at
/// the root, absolute link targets restart from the root, and more than 40 links is a loop.
enum SymlinkResolver {
    /// `linkTarget` returns the target of `candidate` if it is a symlink. `display` names the
    /// path in the loop error.
    static func resolve(_ path: String, display: String,
                        linkTarget: (String) -> String?) throws(ContainerImageError) -> String {
        var pending = ArraySlice(path.split(separator: "/").map(String.init).reversed())
        var resolved: [String] = []
        var follows = 0
        while let component = pending.popLast() {
            if component == "." || component.isEmpty { continue }
            if component == ".." {
                if !resolved.isEmpty { resolved.removeLast() }
                continue
            }
            let candidate = resolved.isEmpty ? component : resolved.joined(separator: "/") + "/" + component
            if let target = linkTarget(candidate) {
                follows += 1
                if follows > maxSymlinkFollows {
                    throw ContainerImageError(.symlinkLoop, "\(display): too many levels of symbolic links (symlink loop at '\(candidate)')")
                }
                if target.hasPrefix("/") { resolved.removeAll() }
                pending.append(contentsOf: target.split(separator: "/").map(String.init).reversed())
                continue
            }
            resolved.append(component)
        }
        return resolved.joined(separator: "/")
    }
}
