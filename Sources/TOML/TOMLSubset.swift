/// The part of TOML 1.0 that RustSec advisories and lockfiles (`Cargo.lock`, `poetry.lock`) use,
/// parsed strictly: `[table]`, `[dotted.table]` and `[[array.of.tables]]` headers, `key = value`
/// with bare or quoted (dotted) keys, basic and literal strings (single-line and `"""`/`'''`
/// multi-line), integers, floats, booleans, arrays (across lines, trailing comma allowed), inline
/// tables, and comments. Dates stay strings.
///
/// Anything else — a duplicate key, an unterminated string, an unknown escape — is an error
/// naming the line. (TOMLKit, the Swift TOML package on this machine's mirror, cannot be
/// resolved: its test dependency is not mirrored.)
public struct TOMLSubset {
    /// A TOML value.
    public enum Value: Equatable, Sendable {
        case string(String)
        case integer(Int)
        case float(Double)
        case bool(Bool)
        case array([Value])
        case table([String: Value])

        /// The text of a string value.
        public var string: String? { if case .string(let s) = self { return s } else { return nil } }
        /// The members of a table value.
        public var table: [String: Value]? { if case .table(let t) = self { return t } else { return nil } }
        /// The strings of an array value (other items left out).
        public var strings: [String] {
            if case .array(let items) = self { return items.compactMap(\.string) }
            return []
        }
    }

    /// Why the text is not TOML this parser reads, and the line where that shows.
    public struct Failure: Error, Sendable {
        /// 1-based line in the enclosing file.
        public var line: Int
        /// What is wrong (`unterminated string`).
        public var message: String
    }

    /// A parsed document: its root table and the line of every `[[array.of.tables]]` header.
    public struct Document: Sendable {
        /// The root table.
        public var root: [String: Value]
        /// Header lines by dotted table path (`package` → the line of each `[[package]]`), in
        /// order: callers name the line of an element their own checks reject.
        public var arrayTableLines: [String: [Int]]
    }

    private let bytes: [UInt8]
    private var i = 0
    private var line: Int
    private var arrayTableLines: [String: [Int]] = [:]

    /// Parses `bytes`, whose first line is line `firstLine` of the enclosing file.
    public static func parse(_ bytes: [UInt8], firstLine: Int = 1) throws(Failure) -> [String: Value] {
        try parseDocument(bytes, firstLine: firstLine).root
    }

    /// Parses `bytes` (see `parse`), keeping where each array-of-tables element starts.
    public static func parseDocument(_ bytes: [UInt8], firstLine: Int = 1) throws(Failure) -> Document {
        var parser = TOMLSubset(bytes: bytes, line: firstLine)
        let root = try parser.document()
        return Document(root: root, arrayTableLines: parser.arrayTableLines)
    }

    private init(bytes: [UInt8], line: Int) {
        self.bytes = bytes
        self.line = line
    }

    private func fail(_ message: String) -> Failure { Failure(line: line, message: message) }

    private var current: UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func skipBlanks() {
        while let c = current, c == 0x20 || c == 0x09 { i += 1 }
    }

    /// Blanks, comments and newlines (inside arrays).
    private mutating func skipBlanksCommentsNewlines() {
        while let c = current {
            if c == 0x20 || c == 0x09 || c == 0x0D { i += 1 } else if c == 0x0A { i += 1; line += 1 } else if c == UInt8(ascii: "#") {
                while let d = current, d != 0x0A { i += 1 }
            } else { return }
        }
    }

    private mutating func endOfLine() throws(Failure) {
        skipBlanks()
        if current == UInt8(ascii: "#") { while let d = current, d != 0x0A { i += 1 } }
        if current == 0x0D { i += 1 }
        guard let c = current else { return }
        guard c == 0x0A else { throw fail("unexpected '\(Character(UnicodeScalar(c)))' after a value") }
        i += 1
        line += 1
    }

    private mutating func document() throws(Failure) -> [String: Value] {
        var root: [String: Value] = [:]
        var tablePath: [String] = []
        var definedTables: Set<[String]> = []
        while true {
            skipBlanksCommentsNewlines()
            guard let c = current else { return root }
            if c == UInt8(ascii: "["), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "[") {
                i += 2
                skipBlanks()
                tablePath = try key()
                skipBlanks()
                guard current == UInt8(ascii: "]"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "]") else {
                    throw fail("expected ']]' to close the array-of-tables header")
                }
                i += 2
                try appendTable(at: tablePath, into: &root)
                arrayTableLines[tablePath.joined(separator: "."), default: []].append(line)
                // A new element: its sub-tables (`[package.dependencies]`) may be defined again.
                definedTables = definedTables.filter { !$0.starts(with: tablePath) }
                try endOfLine()
                continue
            }
            if c == UInt8(ascii: "[") {
                i += 1
                skipBlanks()
                tablePath = try key()
                skipBlanks()
                guard current == UInt8(ascii: "]") else { throw fail("expected ']' to close the table header") }
                i += 1
                guard definedTables.insert(tablePath).inserted else { throw fail("table [\(tablePath.joined(separator: "."))] defined twice") }
                try insert(.table([:]), at: tablePath, into: &root, allowExistingTable: true)
                try endOfLine()
                continue
            }
            let k = try key()
            skipBlanks()
            guard current == UInt8(ascii: "=") else { throw fail("expected '=' after key '\(k.joined(separator: "."))'") }
            i += 1
            skipBlanks()
            let v = try value()
            try insert(v, at: tablePath + k, into: &root, allowExistingTable: false)
            try endOfLine()
        }
    }

    /// Appends an empty table to the array of tables at `path`, creating the array.
    private func appendTable(at path: [String], into table: inout [String: Value]) throws(Failure) {
        guard let first = path.first else { return }
        if path.count == 1 {
            switch table[first] {
            case nil: table[first] = .array([.table([:])])
            case .array(var items)? where items.allSatisfy({ $0.table != nil }):
                items.append(.table([:]))
                table[first] = .array(items)
            default: throw fail("key '\(first)' is not an array of tables")
            }
            return
        }
        try descend(first, in: &table) { (child) throws(Failure) in try appendTable(at: Array(path.dropFirst()), into: &child) }
    }

    /// Runs `body` on the table at `key` (the last element when it is an array of tables),
    /// creating an empty table when there is none.
    private func descend(_ key: String, in table: inout [String: Value], _ body: (inout [String: Value]) throws(Failure) -> Void) throws(Failure) {
        switch table[key] {
        case nil:
            var child: [String: Value] = [:]
            try body(&child)
            table[key] = .table(child)
        case .table(var child)?:
            try body(&child)
            table[key] = .table(child)
        case .array(var items)? where !items.isEmpty && items.allSatisfy({ $0.table != nil }):
            var child = items[items.count - 1].table!
            try body(&child)
            items[items.count - 1] = .table(child)
            table[key] = .array(items)
        default:
            throw fail("key '\(key)' is not a table")
        }
    }

    private func insert(_ value: Value, at path: [String], into table: inout [String: Value], allowExistingTable: Bool) throws(Failure) {
        guard let first = path.first else { return }
        if path.count == 1 {
            if let existing = table[first] {
                if allowExistingTable, case .table = existing, case .table = value { return }
                throw fail("duplicate key '\(first)'")
            }
            table[first] = value
            return
        }
        try descend(first, in: &table) { (child) throws(Failure) in
            try insert(value, at: Array(path.dropFirst()), into: &child, allowExistingTable: allowExistingTable)
        }
    }

    private mutating func key() throws(Failure) -> [String] {
        var parts: [String] = []
        while true {
            skipBlanks()
            guard let c = current else { throw fail("expected a key") }
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                parts.append(try quoted(multiLineAllowed: false))
            } else {
                let start = i
                while let d = current, isBareKey(d) { i += 1 }
                guard i > start else { throw fail("expected a key, found '\(Character(UnicodeScalar(c)))'") }
                parts.append(String(decoding: bytes[start..<i], as: UTF8.self))
            }
            skipBlanks()
            guard current == UInt8(ascii: ".") else { return parts }
            i += 1
        }
    }

    private func isBareKey(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
    }

    private mutating func value() throws(Failure) -> Value {
        guard let c = current else { throw fail("expected a value") }
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return .string(try quoted(multiLineAllowed: true))
        case UInt8(ascii: "["):
            i += 1
            var items: [Value] = []
            while true {
                skipBlanksCommentsNewlines()
                if current == UInt8(ascii: "]") { i += 1; return .array(items) }
                items.append(try value())
                skipBlanksCommentsNewlines()
                if current == UInt8(ascii: ",") { i += 1; continue }
                guard current == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in an array") }
                i += 1
                return .array(items)
            }
        case UInt8(ascii: "{"):
            i += 1
            var table: [String: Value] = [:]
            skipBlanks()
            if current == UInt8(ascii: "}") { i += 1; return .table(table) }
            while true {
                let k = try key()
                skipBlanks()
                guard current == UInt8(ascii: "=") else { throw fail("expected '=' in an inline table") }
                i += 1
                skipBlanks()
                let v = try value()
                try insert(v, at: k, into: &table, allowExistingTable: false)
                skipBlanks()
                if current == UInt8(ascii: ",") { i += 1; continue }
                guard current == UInt8(ascii: "}") else { throw fail("expected ',' or '}' in an inline table") }
                i += 1
                return .table(table)
            }
        default:
            let start = i
            while let d = current, d != UInt8(ascii: ","), d != UInt8(ascii: "]"), d != UInt8(ascii: "}"), d != 0x0A, d != 0x0D,
                  d != UInt8(ascii: "#") { i += 1 }
            var end = i
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            if text == "true" { return .bool(true) }
            if text == "false" { return .bool(false) }
            let digits = text.replacingUnderscores()
            if let n = Int(digits) { return .integer(n) }
            if let d = Double(digits), digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return .float(d) }
            // Offset date-times and local dates (`2021-07-07`) are kept as their text.
            if let first = text.first, first.isNumber, text.contains("-") || text.contains(":") { return .string(text) }
            throw fail("unsupported value '\(text.prefix(40).split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " "))'")
        }
    }

    private mutating func quoted(multiLineAllowed: Bool) throws(Failure) -> String {
        let quote = bytes[i]
        let literal = quote == UInt8(ascii: "'")
        var multi = false
        if multiLineAllowed, i + 2 < bytes.count, bytes[i + 1] == quote, bytes[i + 2] == quote {
            multi = true
            i += 3
            // A newline right after the opening delimiter is trimmed.
            if current == 0x0D { i += 1 }
            if current == 0x0A { i += 1; line += 1 }
        } else {
            i += 1
        }
        var out: [UInt8] = []
        let startLine = line
        while true {
            guard let c = current else { throw Failure(line: startLine, message: "unterminated string") }
            if c == quote {
                if !multi { i += 1; return String(decoding: out, as: UTF8.self) }
                if i + 2 < bytes.count, bytes[i + 1] == quote, bytes[i + 2] == quote {
                    i += 3
                    return String(decoding: out, as: UTF8.self)
                }
                out.append(c)
                i += 1
                continue
            }
            if c == 0x0A {
                guard multi else { throw Failure(line: startLine, message: "unterminated string") }
                line += 1
            }
            if c == UInt8(ascii: "\\"), !literal {
                i += 1
                guard let e = current else { throw Failure(line: startLine, message: "unterminated string") }
                i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "\""): out.append(e)
                case UInt8(ascii: "\\"): out.append(e)
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let count = e == UInt8(ascii: "u") ? 4 : 8
                    guard i + count <= bytes.count,
                          let scalar = UInt32(String(decoding: bytes[i..<(i + count)], as: UTF8.self), radix: 16).flatMap(UnicodeScalar.init)
                    else { throw fail("invalid unicode escape") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    i += count
                case 0x0A, 0x20, 0x09, 0x0D where multi:
                    // Line-ending backslash: skip the newline and leading whitespace.
                    if e == 0x0A { line += 1 }
                    while let d = current, d == 0x20 || d == 0x09 || d == 0x0A || d == 0x0D {
                        if d == 0x0A { line += 1 }
                        i += 1
                    }
                default:
                    throw fail("unknown escape '\\\(Character(UnicodeScalar(e)))'")
                }
                continue
            }
            out.append(c)
            i += 1
        }
    }
}

private extension String {
    func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
