/// `repository:tag` split of an image reference (digests and registry ports kept right).
enum Images {
    static func split(_ image: String) -> (repository: String, tag: String) {
        let u = Array(image.utf8)
        var end = u.count
        if let at = u.firstIndex(of: UInt8(ascii: "@")) { end = at }
        var lastSlash = 0
        if let slash = u[..<end].lastIndex(of: UInt8(ascii: "/")) { lastSlash = slash }
        if let colon = u[lastSlash..<end].lastIndex(of: UInt8(ascii: ":")) {
            return (String(decoding: u[..<colon], as: UTF8.self), String(decoding: u[(colon + 1)..<end], as: UTF8.self))
        }
        return (String(decoding: u[..<end], as: UTF8.self), image.isEmpty ? "" : "latest")
    }
}
