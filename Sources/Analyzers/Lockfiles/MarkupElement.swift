/// A small, strict XML element tree for build files (`pom.xml`): element local names (the
/// namespace prefix dropped), their text and children, and the line each starts on. Comments,
/// processing instructions and CDATA are understood; attributes are checked and dropped (a POM
/// keeps everything it says in elements). Document type declarations are refused, so no entity
/// can expand (no "billion laughs", no external entities); nesting is limited to 256 levels.
struct MarkupElement {
    var name: String
    var text: String
    var children: [MarkupElement]
    var line: Int

    /// The first child called `name`.
    func child(_ name: String) -> MarkupElement? { children.first { $0.name == name } }

    /// The trimmed text of the first child called `name`, nil when absent or empty.
    func value(_ name: String) -> String? {
        guard let t = child(name)?.text.trimmedWhitespace, !t.isEmpty else { return nil }
        return t
    }

    /// A parse failure: what and the 1-based line.
    struct SyntaxError: Error {
        var line: Int
        var message: String
    }

    static let maxDepth = 256

    /// Parses a whole document and returns its root element.
    static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> MarkupElement {
        var reader = Reader(bytes: bytes)
        return try reader.document()
    }

    private struct Reader {
        let bytes: [UInt8]
        var i = 0
        var line = 1

        init(bytes: [UInt8]) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        }

        func fail(_ message: String) -> SyntaxError { SyntaxError(line: line, message: message) }

        func peek(_ s: String) -> Bool { bytes[i...].starts(with: s.utf8) }

        mutating func advance(_ n: Int) {
            for _ in 0..<n where i < bytes.count {
                if bytes[i] == 0x0A { line += 1 }
                i += 1
            }
        }

        /// Skips past `end`, failing at the end of input.
        mutating func skip(past end: String, what: String) throws(SyntaxError) {
            let e = Array(end.utf8)
            while i < bytes.count {
                if bytes[i] == e[0], bytes[i...].starts(with: e) { advance(e.count); return }
                advance(1)
            }
            throw fail("unterminated \(what)")
        }

        mutating func skipBlanks() {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { advance(1) }
        }

        /// Prolog, the root element, trailing comments.
        mutating func document() throws(SyntaxError) -> MarkupElement {
            var root: MarkupElement?
            while true {
                skipBlanks()
                if i >= bytes.count { break }
                if peek("<?") { try skip(past: "?>", what: "processing instruction"); continue }
                if peek("<!--") { try skip(past: "-->", what: "comment"); continue }
                if peek("<!DOCTYPE") || peek("<!doctype") { throw fail("document type declarations are not accepted") }
                guard root == nil, peek("<") else { throw fail(root == nil ? "expected an element" : "content after the root element") }
                root = try element(depth: 0)
            }
            guard let root else { throw fail("no root element") }
            return root
        }

        /// `<name attr="…">content</name>` or `<name/>`, at `<`.
        mutating func element(depth: Int) throws(SyntaxError) -> MarkupElement {
            guard depth < MarkupElement.maxDepth else { throw fail("elements nested more than \(MarkupElement.maxDepth) deep") }
            let startLine = line
            advance(1)
            let qualified = name()
            guard !qualified.isEmpty else { throw fail("expected an element name after '<'") }
            // Attributes: name="value" or name='value', checked and dropped.
            while true {
                skipBlanks()
                guard i < bytes.count else { throw fail("unterminated start tag <\(qualified)>") }
                if peek("/>") { advance(2); return MarkupElement(name: local(qualified), text: "", children: [], line: startLine) }
                if bytes[i] == UInt8(ascii: ">") { advance(1); break }
                guard !name().isEmpty else { throw fail("malformed attribute in <\(qualified)>") }
                skipBlanks()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else { throw fail("attribute without '=' in <\(qualified)>") }
                advance(1)
                skipBlanks()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else {
                    throw fail("unquoted attribute value in <\(qualified)>")
                }
                let quote = bytes[i]
                advance(1)
                while i < bytes.count, bytes[i] != quote { advance(1) }
                guard i < bytes.count else { throw fail("unterminated attribute value in <\(qualified)>") }
                advance(1)
            }
            var text: [UInt8] = []
            var children: [MarkupElement] = []
            while true {
                guard i < bytes.count else { throw fail("<\(qualified)> is not closed") }
                let b = bytes[i]
                if b == UInt8(ascii: "<") {
                    if peek("</") {
                        advance(2)
                        let closing = name()
                        skipBlanks()
                        guard closing == qualified, i < bytes.count, bytes[i] == UInt8(ascii: ">") else {
                            throw fail("</\(closing)> does not close <\(qualified)> (line \(startLine))")
                        }
                        advance(1)
                        return MarkupElement(name: local(qualified), text: String(decoding: text, as: UTF8.self), children: children, line: startLine)
                    }
                    if peek("<!--") { try skip(past: "-->", what: "comment"); continue }
                    if peek("<![CDATA[") {
                        advance(9)
                        let start = i
                        try skip(past: "]]>", what: "CDATA section")
                        text += bytes[start..<(i - 3)]
                        continue
                    }
                    if peek("<?") { try skip(past: "?>", what: "processing instruction"); continue }
                    if peek("<!") { throw fail("document type declarations are not accepted") }
                    children.append(try element(depth: depth + 1))
                    continue
                }
                if b == UInt8(ascii: "&") {
                    text += try entity()
                    continue
                }
                text.append(b)
                advance(1)
            }
        }

        /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#10;` `&#x41;`, at `&`.
        mutating func entity() throws(SyntaxError) -> [UInt8] {
            let start = i
            while i < bytes.count, bytes[i] != UInt8(ascii: ";"), i - start < 12 { advance(1) }
            guard i < bytes.count, bytes[i] == UInt8(ascii: ";") else { throw fail("malformed entity reference") }
            let body = String(decoding: bytes[(start + 1)..<i], as: UTF8.self)
            advance(1)
            switch body {
            case "amp": return [UInt8(ascii: "&")]
            case "lt": return [UInt8(ascii: "<")]
            case "gt": return [UInt8(ascii: ">")]
            case "quot": return [UInt8(ascii: "\"")]
            case "apos": return [UInt8(ascii: "'")]
            default:
                var digits = Substring(body)
                guard digits.first == "#" else { throw fail("unknown entity '&\(body);'") }
                digits = digits.dropFirst()
                let hex = digits.first == "x"
                guard let value = UInt32(hex ? digits.dropFirst() : digits, radix: hex ? 16 : 10), let scalar = Unicode.Scalar(value) else {
                    throw fail("malformed character reference '&\(body);'")
                }
                return Array(String(Character(scalar)).utf8)
            }
        }

        /// An XML name (letters, digits, `-`, `_`, `.`, `:` and any non-ASCII byte).
        mutating func name() -> String {
            let start = i
            while i < bytes.count {
                let b = bytes[i]
                let ok = (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F || b == 0x2E || b == 0x3A || b >= 0x80
                guard ok else { break }
                advance(1)
            }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        func local(_ qualified: String) -> String {
            qualified.split(separator: ":").last.map(String.init) ?? qualified
        }
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    var trimmedWhitespace: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        return String(drop(while: blank).reversed().drop(while: blank).reversed())
    }
}
