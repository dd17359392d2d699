/// A file wanted wherever it lies in the image, by its name: language lockfiles and package
/// metadata (`Cargo.lock`, `*.dist-info/METADATA`) have no fixed path.
public struct FileNamePattern: Hashable, Sendable, CustomStringConvertible {
    /// The base name (`Cargo.lock`), or its ending when `nameIsSuffix` (`.egg-info`).
    public var name: String
    public var nameIsSuffix: Bool
    /// When set, the parent directory's name must end with this (`.dist-info`).
    public var parentSuffix: String?

    public init(name: String, nameIsSuffix: Bool = false, parentSuffix: String? = nil) {
        self.name = name
        self.nameIsSuffix = nameIsSuffix
        self.parentSuffix = parentSuffix
    }

    /// Whether a cleaned root-relative path matches. Runs for every entry of every layer, so it
    /// works on substrings without allocating.
    public func matches(_ path: String) -> Bool {
        let slash = path.lastIndex(of: "/")
        let base = slash.map { path[path.index(after: $0)...] } ?? path[...]
        guard nameIsSuffix ? base.hasSuffix(name) && base.utf8.count > name.utf8.count : base == name else { return false }
        guard let parentSuffix else { return true }
        guard let slash else { return false }
        let parent = path[..<slash]
        let parentName = parent.lastIndex(of: "/").map { parent[parent.index(after: $0)...] } ?? parent
        return parentName.hasSuffix(parentSuffix) && parentName.utf8.count > parentSuffix.utf8.count
    }

    /// `*/Cargo.lock`, `*.dist-info/METADATA`, `*.egg-info`.
    public var description: String {
        let file = nameIsSuffix ? "*" + name : name
        return parentSuffix.map { "*\($0)/\(file)" } ?? "*/\(file)"
    }
}
