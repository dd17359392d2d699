/// Lexical path forms shared by the live sensor and the kernel-filter analysis.
public enum PathSyntax {
    /// No `//`, no `.` component, no `..` anywhere and no trailing `/`: the same test as the
    /// kernel's `not_canonical` (bpf/vigil.bpf.c), which reports every open of a path that fails it.
    public static func isCanonical(_ path: String) -> Bool {
        path.utf8.withContiguousStorageIfAvailable { b -> Bool in
            let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
            func at(_ i: Int) -> UInt8 { i < b.count ? b[i] : 0 }
            for i in b.indices {
                let c = at(i + 1)
                if b[i] == dot, c == dot { return false }
                guard b[i] == slash else { continue }
                if c == slash || c == 0 { return false } // "//" or a trailing "/" ("/" itself too, as in the kernel)
                if c == dot, at(i + 2) == slash || at(i + 2) == 0 { return false }
            }
            return true
        } ?? false
    }

    /// Removes `.`/`..` components and duplicate slashes (lexically, like Falco).
    public static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for c in path.split(separator: "/", omittingEmptySubsequences: true) {
            if c == "." { continue }
            if c == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(c)
        }
        return "/" + parts.joined(separator: "/")
    }
}
