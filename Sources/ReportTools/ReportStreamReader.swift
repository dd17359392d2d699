import Foundation
import JSONValue

/// Receives a Trivy-shaped report piece by piece (`ReportStreamReader`).
public protocol ReportVisitor {
    /// Top-level members before `Results` (all of them when there is no `Results`).
    mutating func header(_ members: [(String, JSON)]) throws(ReportError)
    /// A result's members before `Vulnerabilities` (all of them when it has none).
    mutating func beginResult(_ members: [(String, JSON)]) throws(ReportError)
    /// One vulnerability object of the current result.
    mutating func vulnerability(_ vulnerability: JSON) throws(ReportError)
    /// The current result's members after `Vulnerabilities`.
    mutating func endResult(_ members: [(String, JSON)]) throws(ReportError)
    /// Top-level members after `Results`.
    mutating func end(_ members: [(String, JSON)]) throws(ReportError)
}

/// Reads a Trivy-shaped JSON report (`{…, "Results": [{…, "Vulnerabilities": […]}]}`) front to back
/// in fixed-size chunks, handing each vulnerability to a visitor as soon as it is parsed, so memory
/// stays at one vulnerability plus the headers however large the report is.
public struct ReportStreamReader {
    public let path: String
    public var chunkSize = 1 << 20

    public init(path: String) { self.path = path }

    /// Reads the whole file; any syntax or shape error names the file and line.
    public func read(into visitor: inout some ReportVisitor) throws(ReportError) {
        let handle = try ReportFile.openForReading(path)
        defer { try? handle.close() }
        var bytes = ByteReader(handle: handle, path: path, chunkSize: chunkSize)
        try bytes.skipWhitespace()
        guard try bytes.peek() == UInt8(ascii: "{") else { throw bytes.error("not a Trivy-shaped report: expected a JSON object") }
        bytes.advance()
        var members: [(String, JSON)] = []
        var sawResults = false
        var scratch: [UInt8] = []
        try bytes.skipWhitespace()
        if try bytes.peek() == UInt8(ascii: "}") {
            bytes.advance()
        } else {
            while true {
                try bytes.skipWhitespace()
                let key = try bytes.readKey(&scratch)
                if key == "Results", !sawResults {
                    sawResults = true
                    try visitor.header(members)
                    members = []
                    try readResults(&bytes, &visitor, &scratch)
                } else {
                    members.append((key, try bytes.readValue(&scratch)))
                }
                if try bytes.endOfContainer(close: UInt8(ascii: "}")) { break }
            }
        }
        try bytes.skipWhitespace()
        if try bytes.peek() != nil { throw bytes.error("unexpected data after the report object") }
        if sawResults {
            try visitor.end(members)
        } else {
            try visitor.header(members)
            try visitor.end([])
        }
    }

    private func readResults(_ bytes: inout ByteReader, _ visitor: inout some ReportVisitor, _ scratch: inout [UInt8]) throws(ReportError) {
        try bytes.skipWhitespace()
        if try bytes.peek() == UInt8(ascii: "n") { _ = try bytes.readValue(&scratch); return }
        guard try bytes.peek() == UInt8(ascii: "[") else { throw bytes.error("\"Results\" must be an array") }
        bytes.advance()
        try bytes.skipWhitespace()
        if try bytes.peek() == UInt8(ascii: "]") { bytes.advance(); return }
        while true {
            try bytes.skipWhitespace()
            guard try bytes.peek() == UInt8(ascii: "{") else { throw bytes.error("each element of \"Results\" must be an object") }
            bytes.advance()
            var members: [(String, JSON)] = []
            var sawVulns = false
            try bytes.skipWhitespace()
            if try bytes.peek() == UInt8(ascii: "}") {
                bytes.advance()
            } else {
                while true {
                    try bytes.skipWhitespace()
                    let key = try bytes.readKey(&scratch)
                    if key == "Vulnerabilities", !sawVulns {
                        sawVulns = true
                        try visitor.beginResult(members)
                        members = []
                        try readVulnerabilities(&bytes, &visitor, &scratch)
                    } else {
                        members.append((key, try bytes.readValue(&scratch)))
                    }
                    if try bytes.endOfContainer(close: UInt8(ascii: "}")) { break }
                }
            }
            if !sawVulns { try visitor.beginResult(members); members = [] }
            try visitor.endResult(members)
            if try bytes.endOfContainer(close: UInt8(ascii: "]")) { break }
        }
    }

    private func readVulnerabilities(_ bytes: inout ByteReader, _ visitor: inout some ReportVisitor, _ scratch: inout [UInt8]) throws(ReportError) {
        try bytes.skipWhitespace()
        if try bytes.peek() == UInt8(ascii: "n") { _ = try bytes.readValue(&scratch); return }
        guard try bytes.peek() == UInt8(ascii: "[") else { throw bytes.error("\"Vulnerabilities\" must be an array") }
        bytes.advance()
        try bytes.skipWhitespace()
        if try bytes.peek() == UInt8(ascii: "]") { bytes.advance(); return }
        while true {
            try bytes.skipWhitespace()
            let line = bytes.line
            let v = try bytes.readValue(&scratch)
            guard case .object = v else { throw ReportError(path: path, line: line, message: "each vulnerability must be an object") }
            try visitor.vulnerability(v)
            if try bytes.endOfContainer(close: UInt8(ascii: "]")) { break }
        }
    }
}

/// Buffered bytes of a file with a line counter; values are captured whole and parsed by `JSONParser`.
struct ByteReader {
    let handle: FileHandle
    let path: String
    let chunkSize: Int
    var buffer: [UInt8] = []
    var position = 0
    var line = 1
    var atEOF = false

    init(handle: FileHandle, path: String, chunkSize: Int) {
        self.handle = handle
        self.path = path
        self.chunkSize = chunkSize
    }

    func error(_ message: String, line: Int? = nil) -> ReportError {
        ReportError(path: path, line: line ?? self.line, message: message)
    }

    mutating func refill() throws(ReportError) -> Bool {
        if atEOF { return false }
        let data: Data?
        do { data = try handle.read(upToCount: chunkSize) } catch { throw self.error("read failed (\(String(cString: strerror(errno))))") }
        guard let data, !data.isEmpty else { atEOF = true; return false }
        buffer = [UInt8](data)
        position = 0
        return true
    }

    mutating func peek() throws(ReportError) -> UInt8? {
        if position < buffer.count { return buffer[position] }
        return try refill() ? buffer[position] : nil
    }

    mutating func advance() {
        if buffer[position] == 0x0A { line += 1 }
        position += 1
    }

    mutating func skipWhitespace() throws(ReportError) {
        while let b = try peek(), b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { advance() }
    }

    /// After a member or element: true at the closing bracket (consumed), false after a comma.
    mutating func endOfContainer(close: UInt8) throws(ReportError) -> Bool {
        try skipWhitespace()
        guard let b = try peek() else { throw error("unexpected end of file") }
        advance()
        if b == close { return true }
        if b == UInt8(ascii: ",") { return false }
        throw error("expected ',' or '\(Character(Unicode.Scalar(close)))'")
    }

    mutating func readKey(_ scratch: inout [UInt8]) throws(ReportError) -> String {
        guard try peek() == UInt8(ascii: "\"") else { throw error("expected an object key") }
        guard case .string(let key) = try readValue(&scratch) else { throw error("expected an object key") }
        try skipWhitespace()
        guard try peek() == UInt8(ascii: ":") else { throw error("expected ':' after key \"\(key)\"") }
        advance()
        return key
    }

    /// Captures one JSON value's bytes and parses them.
    mutating func readValue(_ scratch: inout [UInt8]) throws(ReportError) -> JSON {
        try skipWhitespace()
        let startLine = line
        scratch.removeAll(keepingCapacity: true)
        var depth = 0
        var inString = false
        var escaped = false
        loop: while true {
            if position >= buffer.count, !(try refill()) {
                if inString || depth > 0 || scratch.isEmpty { throw error("unexpected end of file", line: line) }
                break
            }
            // Copy a run of bytes at a time: the common case inside strings is plain text.
            let b = buffer[position]
            if inString {
                scratch.append(b)
                advance()
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { break loop }
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 {
                    if scratch.isEmpty { throw error("unexpected '\(Character(Unicode.Scalar(b)))'") }
                    break loop
                }
                depth -= 1
                if depth == 0 { scratch.append(b); advance(); break loop }
            case UInt8(ascii: ","), 0x20, 0x0A, 0x0D, 0x09:
                if depth == 0 {
                    if scratch.isEmpty { throw error("expected a value") }
                    break loop
                }
            default:
                break
            }
            scratch.append(b)
            advance()
        }
        do {
            return try JSONParser.parse(scratch)
        } catch {
            throw ReportError(path: path, line: startLine + error.line - 1, message: "invalid JSON: \(error.message)")
        }
    }
}
