/// NuGet's `packages.config` (XML): the `<package id="…" version="…"/>` children of the
/// `<packages>` root; development-only packages (`developmentDependency="true"`) and entries
/// without an id are left out, as Trivy does. The format is flat, so a small tag reader is
/// enough: declarations, comments and CDATA are skipped, attribute entities decoded, and
/// anything that is not well-formed at the tag level is an error.
enum NuGetPackagesConfigParser {
    static func parse(_ bytes: [UInt8]) throws(InstalledMetadataProblem) -> [InstalledMetadataSample.Package] {
        var reader = TagReader(bytes: bytes)
        var depth = 0
        var sawRoot = false
        var seen: Set<String> = []
        var packages: [InstalledMetadataSample.Package] = []
        while let tag = try reader.next() {
            switch tag.kind {
            case .open, .empty:
                if depth == 0 {
                    guard !sawRoot else { throw InstalledMetadataProblem("line \(tag.line): a second root element <\(tag.name)>") }
                    guard tag.name == "packages" else {
                        throw InstalledMetadataProblem("line \(tag.line): the root element is <\(tag.name)>, not <packages>")
                    }
                    sawRoot = true
                } else if depth == 1, tag.name == "package" {
                    let id = tag.attributes["id"] ?? ""
                    let version = tag.attributes["version"] ?? ""
                    let dev = ["1", "t", "T", "TRUE", "true", "True"].contains(tag.attributes["developmentDependency"] ?? "")
                    if !id.isEmpty, !dev, seen.insert(id + "@" + version).inserted {
                        packages.append(InstalledMetadataSample.Package(name: id, version: version))
                    }
                }
                if tag.kind == .open { depth += 1 }
            case .close:
                depth -= 1
                guard depth >= 0 else { throw InstalledMetadataProblem("line \(tag.line): </\(tag.name)> closes nothing") }
            }
        }
        guard sawRoot else { throw InstalledMetadataProblem("no <packages> element") }
        guard depth == 0 else { throw InstalledMetadataProblem("the document ends inside an element") }
        return packages
    }

    struct Tag {
        enum Kind { case open, close, empty }
        var kind: Kind
        var name: String
        var attributes: [String: String]
        var line: Int
    }

    /// Walks the tags of an XML document.
    struct TagReader {
        let bytes: [UInt8]
        var i = 0
        var line = 1

        init(bytes: [UInt8]) {
            self.bytes = bytes
            // A UTF-8 byte order mark.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        }

        mutating func next() throws(InstalledMetadataProblem) -> Tag? {
            while true {
                while i < bytes.count, bytes[i] != UInt8(ascii: "<") { advance() }
                guard i < bytes.count else { return nil }
                if matches("<!--") {
                    try skip(past: "-->")
                } else if matches("<![CDATA[") {
                    try skip(past: "]]>")
                } else if matches("<?") {
                    try skip(past: "?>")
                } else if matches("<!") {
                    try skip(past: ">")
                } else {
                    return try tag()
                }
            }
        }

        private mutating func advance() {
            if bytes[i] == 0x0A { line += 1 }
            i += 1
        }

        private func matches(_ s: String) -> Bool { bytes[i...].starts(with: s.utf8) }

        private mutating func skip(past end: String) throws(InstalledMetadataProblem) {
            let start = line
            while i < bytes.count, !matches(end) { advance() }
            guard i < bytes.count else { throw InstalledMetadataProblem("line \(start): unterminated markup") }
            i += end.utf8.count
        }

        private mutating func tag() throws(InstalledMetadataProblem) -> Tag {
            let start = line
            i += 1
            var kind = Tag.Kind.open
            if i < bytes.count, bytes[i] == UInt8(ascii: "/") { kind = .close; i += 1 }
            let name = takeName()
            guard !name.isEmpty else { throw InstalledMetadataProblem("line \(start): a tag without a name") }
            var attributes: [String: String] = [:]
            while true {
                skipSpace()
                guard i < bytes.count else { throw InstalledMetadataProblem("line \(start): unterminated tag <\(name)>") }
                if bytes[i] == UInt8(ascii: ">") { i += 1; break }
                if bytes[i] == UInt8(ascii: "/"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: ">"), kind == .open {
                    kind = .empty
                    i += 2
                    break
                }
                guard kind != .close else { throw InstalledMetadataProblem("line \(start): malformed closing tag </\(name)>") }
                let key = takeName()
                skipSpace()
                guard !key.isEmpty, i < bytes.count, bytes[i] == UInt8(ascii: "=") else {
                    throw InstalledMetadataProblem("line \(line): malformed attribute in <\(name)>")
                }
                i += 1
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else {
                    throw InstalledMetadataProblem("line \(line): attribute '\(key)' of <\(name)> is not quoted")
                }
                let quote = bytes[i]
                i += 1
                let valueStart = i
                while i < bytes.count, bytes[i] != quote {
                    guard bytes[i] != UInt8(ascii: "<") else { throw InstalledMetadataProblem("line \(line): '<' in an attribute value") }
                    advance()
                }
                guard i < bytes.count else { throw InstalledMetadataProblem("line \(start): unterminated attribute '\(key)'") }
                attributes[key] = try Self.decodeEntities(bytes[valueStart..<i], line: line)
                i += 1
            }
            return Tag(kind: kind, name: name, attributes: attributes, line: start)
        }

        private mutating func takeName() -> String {
            let start = i
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == UInt8(ascii: ">") || b == UInt8(ascii: "/")
                    || b == UInt8(ascii: "=") { break }
                i += 1
            }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        private mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { advance() }
        }

        /// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#NN;`, `&#xHH;`.
        static func decodeEntities(_ raw: ArraySlice<UInt8>, line: Int) throws(InstalledMetadataProblem) -> String {
            guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
            var out = ""
            var rest = raw[...]
            while let amp = rest.firstIndex(of: UInt8(ascii: "&")) {
                out += String(decoding: rest[..<amp], as: UTF8.self)
                guard let semi = rest[amp...].firstIndex(of: UInt8(ascii: ";")), semi - amp <= 12 else {
                    throw InstalledMetadataProblem("line \(line): unterminated entity reference")
                }
                let name = String(decoding: rest[(amp + 1)..<semi], as: UTF8.self)
                switch name {
                case "amp": out += "&"
                case "lt": out += "<"
                case "gt": out += ">"
                case "quot": out += "\""
                case "apos": out += "'"
                default:
                    let code = name.hasPrefix("#x") ? UInt32(name.dropFirst(2), radix: 16)
                        : name.hasPrefix("#") ? UInt32(name.dropFirst(), radix: 10) : nil
                    guard let code, let scalar = Unicode.Scalar(code) else {
                        throw InstalledMetadataProblem("line \(line): unknown entity '&\(NodePackageJSONParser.printable(name));'")
                    }
                    out.unicodeScalars.append(scalar)
                }
                rest = rest[(semi + 1)...]
            }
            return out + String(decoding: rest, as: UTF8.self)
        }
    }
}
