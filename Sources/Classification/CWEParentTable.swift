import Foundation

/// A minimal CWE hierarchy read straight from a CSV file, for when the vulnerability database's
/// CWE catalogue is not at hand (`vigil report` over a JSON file, tests).
///
/// Two layouts are understood, told apart by the header:
/// - Vigil's feed extract `cwe-v4.14.csv`: `id,kind,name,abstraction,status,parents_view1000,description`
///   with space-separated `CWE-n` parents;
/// - MITRE's own CSV download (`CWE-ID,Name,…,Related Weaknesses,…`), where parents are the
///   `::NATURE:ChildOf:CWE ID:n:VIEW ID:1000…` entries of "Related Weaknesses".
public struct CWEParentTable: CWEHierarchy {
    /// CWE number → direct parents in view 1000.
    public private(set) var parentsByID: [Int: [Int]]

    public init(parentsByID: [Int: [Int]] = [:]) { self.parentsByID = parentsByID }

    public func parents(of cwe: Int) -> [Int] { parentsByID[cwe] ?? [] }

    /// Reads a CSV file; `path` names it in errors.
    public init(contentsOfFile path: String) throws(ClassificationError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ClassificationError(path: path, line: 0, message: "cannot read: \(error.localizedDescription)")
        }
        try self.init(csv: [UInt8](data), path: path)
    }

    /// Parses CSV bytes.
    public init(csv bytes: [UInt8], path: String) throws(ClassificationError) {
        var reader = CSVReader(bytes: bytes)
        guard let header = try reader.nextRecord(path: path) else {
            throw ClassificationError(path: path, line: 1, message: "empty CWE file")
        }
        let idColumn: Int
        let parentColumn: Int
        let mitreLayout: Bool
        if let i = header.firstIndex(of: "id"), let p = header.firstIndex(of: "parents_view1000") {
            (idColumn, parentColumn, mitreLayout) = (i, p, false)
        } else if let i = header.firstIndex(of: "CWE-ID"), let p = header.firstIndex(of: "Related Weaknesses") {
            (idColumn, parentColumn, mitreLayout) = (i, p, true)
        } else {
            throw ClassificationError(path: path, line: 1,
                                      message: "not a CWE CSV: expected columns id/parents_view1000 or CWE-ID/Related Weaknesses")
        }
        var table: [Int: [Int]] = [:]
        while true {
            let line = reader.line
            guard let record = try reader.nextRecord(path: path) else { break }
            if record.count == 1, record[0].isEmpty { continue }
            guard record.count > max(idColumn, parentColumn) else {
                throw ClassificationError(path: path, line: line, message: "expected at least \(max(idColumn, parentColumn) + 1) fields, found \(record.count)")
            }
            guard let id = CWEIdentifier.number(record[idColumn]) else {
                throw ClassificationError(path: path, line: line, message: "invalid CWE id '\(record[idColumn])'")
            }
            let parents = mitreLayout ? Self.mitreParents(record[parentColumn]) : Self.plainParents(record[parentColumn])
            guard let parents else {
                throw ClassificationError(path: path, line: line, message: "invalid parent list '\(record[parentColumn])'")
            }
            table[id] = parents
        }
        parentsByID = table
    }

    /// `CWE-668 CWE-706` → [668, 706].
    static func plainParents(_ field: String) -> [Int]? {
        var out: [Int] = []
        for word in field.split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "|" }) {
            guard let n = CWEIdentifier.number(String(word)) else { return nil }
            out.append(n)
        }
        return out
    }

    /// `::NATURE:ChildOf:CWE ID:20:VIEW ID:1000:ORDINAL:Primary::NATURE:PeerOf:…` → ChildOf ids in view 1000.
    static func mitreParents(_ field: String) -> [Int]? {
        var out: [Int] = []
        for entry in field.components(separatedBy: "::") where !entry.isEmpty {
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            var fields: [String: String] = [:]
            var i = 0
            while i + 1 < parts.count { fields[parts[i]] = parts[i + 1]; i += 2 }
            guard fields["NATURE"] == "ChildOf", fields["VIEW ID"] == "1000" else { continue }
            guard let id = fields["CWE ID"].flatMap(CWEIdentifier.number) else { return nil }
            out.append(id)
        }
        return out
    }
}

/// RFC 4180 records over bytes: quoted fields may hold commas, quotes (`""`) and newlines.
struct CSVReader {
    let bytes: [UInt8]
    var index = 0
    /// 1-based line of the next record.
    var line = 1

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    mutating func nextRecord(path: String) throws(ClassificationError) -> [String]? {
        guard index < bytes.count else { return nil }
        var fields: [String] = []
        var field: [UInt8] = []
        let startLine = line
        var quoted = false
        var wasQuoted = false
        while index < bytes.count {
            let b = bytes[index]
            index += 1
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if index < bytes.count, bytes[index] == UInt8(ascii: "\"") { field.append(b); index += 1 } else { quoted = false }
                } else {
                    if b == 0x0A { line += 1 }
                    field.append(b)
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                guard field.isEmpty, !wasQuoted else {
                    throw ClassificationError(path: path, line: line, message: "stray quote inside an unquoted field")
                }
                quoted = true
                wasQuoted = true
            case UInt8(ascii: ","):
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                wasQuoted = false
            case 0x0D:
                continue
            case 0x0A:
                line += 1
                fields.append(String(decoding: field, as: UTF8.self))
                return fields
            default:
                field.append(b)
            }
        }
        if quoted { throw ClassificationError(path: path, line: startLine, message: "unterminated quoted field") }
        fields.append(String(decoding: field, as: UTF8.self))
        return fields
    }
}
