/// Path helpers shared by `fd.directory`, `fd.filename` and `basename()`.
enum Paths {
    static func directory(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        if slash == path.utf8.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// Calls `body` with the bytes `directory(path)` (or `basename(path)`) would return.
    static func withComponent<R>(_ path: String, directory: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        func split(_ b: UnsafeBufferPointer<UInt8>) -> R {
            var slash = b.count - 1
            while slash >= 0, b[slash] != UInt8(ascii: "/") { slash -= 1 }
            if directory {
                if slash < 0 { return body(UnsafeBufferPointer(rebasing: b[0..<0])) }
                return body(UnsafeBufferPointer(rebasing: b[0..<max(slash, 1)]))
            }
            return body(UnsafeBufferPointer(rebasing: b[(slash + 1)...]))
        }
        if let r = path.utf8.withContiguousStorageIfAvailable(split) { return r }
        var p = path
        return p.withUTF8(split)
    }

    static func basename(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }
}
