import Foundation
import VigilCore

/// The MITRE CWE catalogue in the shapes MITRE and mirrors publish it:
///
/// - MITRE's CSV export (`CWE-ID,Name,Weakness Abstraction,Status,…,Related Weaknesses,…`, ids
///   without the `CWE-` prefix), parents from `::NATURE:ChildOf:CWE ID:77:VIEW ID:1000…` in
///   "Related Weaknesses";
/// - a flat CSV (`id,kind,name,abstraction,status,parents_view1000,description`), parents
///   space-separated;
/// - a JSON object `{"CWE-78": "name", …}`.
///
/// CSV is read with a strict RFC 4180 reader so that an unterminated quote or a row with the
/// wrong number of fields is reported with its line.
enum CWEImporter {
    static func parseCSV(path: String, data: [UInt8]) throws(VulnDBError) -> FeedParseResult {
        var reader = CSVReader(data)
        guard let header = try reader.next(path: path) else {
            throw VulnDBError(.malformedFeed, "\(path): empty CWE CSV")
        }
        let columns = Dictionary(header.fields.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var result = FeedParseResult()
        let mitre = columns["CWE-ID"] != nil
        guard let idColumn = columns[mitre ? "CWE-ID" : "id"], let nameColumn = columns[mitre ? "Name" : "name"] else {
            throw VulnDBError(.malformedFeed, "\(path):1: CWE CSV header needs `CWE-ID,Name…` or `id,kind,name…`")
        }
        while var row = try reader.next(path: path) {
            // MITRE's export ends every data row with a comma: one extra, empty field.
            if row.fields.count == header.fields.count + 1, row.fields.last == "" { row.fields.removeLast() }
            guard row.fields.count == header.fields.count else {
                throw VulnDBError(.malformedFeed, "\(path):\(row.line): \(row.fields.count) fields, the header has \(header.fields.count)")
            }
            func field(_ name: String) -> String? {
                guard let i = columns[name], !row.fields[i].isEmpty else { return nil }
                return row.fields[i]
            }
            var id = row.fields[idColumn]
            if !id.hasPrefix("CWE-") { id = "CWE-" + id }
            guard id.dropFirst(4).allSatisfy({ $0.isASCII && $0.isNumber }), id.count > 4 else {
                throw VulnDBError(.malformedFeed, "\(path):\(row.line): '\(FeedText.oneLine(row.fields[idColumn].prefix(40)))' is not a CWE id")
            }
            var parents: [String] = []
            if mitre {
                parents = childOf(field("Related Weaknesses") ?? "")
            } else {
                for p in (field("parents_view1000") ?? "").split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "," }) {
                    FeedText.appendUnique(p.hasPrefix("CWE-") ? String(p) : "CWE-" + p, to: &parents)
                }
            }
            result.batch.weaknesses.append(CWEEntry(
                id: id, name: row.fields[nameColumn], kind: mitre ? "weakness" : field("kind"),
                abstraction: field(mitre ? "Weakness Abstraction" : "abstraction"), status: field(mitre ? "Status" : "status"),
                parents: parents))
        }
        return result
    }

    /// `ChildOf` targets in view 1000, or in any view when there are none in 1000.
    static func childOf(_ related: String) -> [String] {
        var research: [String] = []
        var other: [String] = []
        for relation in related.components(separatedBy: "::") where relation.hasPrefix("NATURE:ChildOf:") {
            let parts = relation.split(separator: ":", omittingEmptySubsequences: false)
            var id: String?, view: String?
            var i = 0
            while i + 1 < parts.count {
                if parts[i] == "CWE ID" { id = String(parts[i + 1]) }
                if parts[i] == "VIEW ID" { view = String(parts[i + 1]) }
                i += 1
            }
            guard let id, !id.isEmpty else { continue }
            if view == "1000" {
                FeedText.appendUnique("CWE-" + id, to: &research)
            } else {
                FeedText.appendUnique("CWE-" + id, to: &other)
            }
        }
        return research.isEmpty ? other : research
    }

    static func parseNames(path: String, data: [UInt8]) throws(VulnDBError) -> FeedParseResult {
        let root = try FeedJSON.object(path: path, data: data)
        var result = FeedParseResult()
        for key in root.keys.sorted() {
            guard key.hasPrefix("CWE-"), let name = root[key] as? String else {
                result.skip("entry that is not CWE-id: name")
                continue
            }
            result.batch.weaknesses.append(CWEEntry(id: key, name: name))
        }
        return result
    }
}

/// A strict RFC 4180 reader over bytes: quoted fields may hold commas, doubled quotes and line
/// breaks; each row reports the line it started on.
struct CSVReader {
    struct Row {
        var line: Int
        var fields: [String]
    }

    private let data: [UInt8]
    private var index = 0
    private var line = 1

    init(_ data: [UInt8]) {
        self.data = data
        if data.count >= 3, data[0] == 0xEF, data[1] == 0xBB, data[2] == 0xBF { index = 3 }
    }

    mutating func next(path: String) throws(VulnDBError) -> Row? {
        guard index < data.count else { return nil }
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        while true {
            if index < data.count, data[index] == UInt8(ascii: "\"") {
                index += 1
                let quoteLine = line
                while true {
                    guard index < data.count else {
                        throw VulnDBError(.malformedFeed, "\(path):\(quoteLine): unterminated quoted field")
                    }
                    let b = data[index]
                    index += 1
                    if b == UInt8(ascii: "\"") {
                        if index < data.count, data[index] == UInt8(ascii: "\"") {
                            field.append(b)
                            index += 1
                        } else {
                            break
                        }
                    } else {
                        if b == UInt8(ascii: "\n") { line += 1 }
                        field.append(b)
                    }
                }
                guard index >= data.count || [UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(data[index]) else {
                    throw VulnDBError(.malformedFeed, "\(path):\(line): text after a closing quote")
                }
            } else {
                while index < data.count, data[index] != UInt8(ascii: ","), data[index] != UInt8(ascii: "\n"),
                      data[index] != UInt8(ascii: "\r") {
                    if data[index] == UInt8(ascii: "\"") {
                        throw VulnDBError(.malformedFeed, "\(path):\(line): quote inside an unquoted field")
                    }
                    field.append(data[index])
                    index += 1
                }
            }
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            if index < data.count, data[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if index < data.count, data[index] == UInt8(ascii: "\r") { index += 1 }
            if index < data.count, data[index] == UInt8(ascii: "\n") {
                index += 1
                line += 1
            }
            return Row(line: startLine, fields: fields)
        }
    }
}
