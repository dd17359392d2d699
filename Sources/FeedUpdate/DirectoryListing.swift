import Foundation

/// The entries of an HTML directory index (`python3 -m http.server`, nginx `autoindex`, Apache
/// `mod_autoindex`): every link that names a child of the directory, decoded.
///
/// Links that leave the directory (`../`, other hosts, absolute paths elsewhere), sort links
/// (`?C=N;O=D`), fragments and hidden names are dropped, so a hostile index cannot make the
/// updater write outside its staging directory.
public struct DirectoryListing: Sendable, Equatable {
    /// One child: its decoded name and whether it is a directory (`name/`).
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var isDirectory: Bool
    }

    /// Children in document order, without duplicates.
    public var entries: [Entry]

    /// Parses `html`, the index of `directoryPath` (the URL's path, ending in `/`).
    public init(html: String, directoryPath: String) {
        var seen = Set<String>()
        entries = []
        for href in Self.hrefs(in: html) {
            guard let entry = Self.child(href: href, directoryPath: directoryPath), seen.insert(entry.name).inserted else { continue }
            entries.append(entry)
        }
    }

    /// The values of `href="…"` / `href='…'` attributes.
    static func hrefs(in html: String) -> [String] {
        var out: [String] = []
        let bytes = Array(html.utf8)
        let needle = Array("href=".utf8)
        var i = 0
        while i + needle.count < bytes.count {
            var match = true
            for k in 0..<needle.count {
                let b = bytes[i + k]
                // ASCII case-insensitive: `HREF=` is as good as `href=`.
                if (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b + 32 : b) != needle[k] {
                    match = false
                    break
                }
            }
            guard match else { i += 1; continue }
            var j = i + needle.count
            guard j < bytes.count else { break }
            let quote = bytes[j]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                j += 1
                let start = j
                while j < bytes.count, bytes[j] != quote { j += 1 }
                out.append(String(decoding: bytes[start..<j], as: UTF8.self))
            } else {
                let start = j
                while j < bytes.count, bytes[j] != UInt8(ascii: " "), bytes[j] != UInt8(ascii: ">") { j += 1 }
                out.append(String(decoding: bytes[start..<j], as: UTF8.self))
            }
            i = j
        }
        return out
    }

    static func child(href raw: String, directoryPath: String) -> Entry? {
        var href = raw.replacingOccurrences(of: "&amp;", with: "&")
        if href.isEmpty || href.hasPrefix("?") || href.hasPrefix("#") || href.contains("://") || href.hasPrefix("//") { return nil }
        if let cut = href.firstIndex(where: { $0 == "?" || $0 == "#" }) { href = String(href[..<cut]) }
        if href.hasPrefix("/") {
            // Some servers link children by absolute path: keep those under this directory only.
            guard href.hasPrefix(directoryPath), href.count > directoryPath.count else { return nil }
            href = String(href.dropFirst(directoryPath.count))
        }
        if href.hasPrefix("./") { href = String(href.dropFirst(2)) }
        let isDirectory = href.hasSuffix("/")
        if isDirectory { href = String(href.dropLast()) }
        guard !href.isEmpty, !href.contains("/"), let name = href.removingPercentEncoding,
              !name.isEmpty, !name.hasPrefix("."), !name.contains("/"), !name.contains("\0") else { return nil }
        return Entry(name: name, isDirectory: isDirectory)
    }
}
