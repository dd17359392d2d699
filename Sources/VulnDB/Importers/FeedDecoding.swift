import Foundation
import VigilCore

/// Byte-level checks shared by the text scanners; feeds are ASCII where it matters.
enum FeedBytes {
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }

    static func hasPrefix(_ data: [UInt8], at offset: Int, _ prefix: [UInt8]) -> Bool {
        guard offset + prefix.count <= data.count else { return false }
        for (k, byte) in prefix.enumerated() where data[offset + k] != byte { return false }
        return true
    }

    static func index(of byte: UInt8, in data: [UInt8], from start: Int) -> Int? {
        var i = start
        while i < data.count {
            if data[i] == byte { return i }
            i += 1
        }
        return nil
    }
}

/// JSON decoding into Foundation values, with errors that name the file.
///
/// Foundation's untyped tree (rather than `Codable`) lets one record with a wrong-typed optional
/// field be skipped or ignored instead of failing the whole file.
enum FeedJSON {
    /// The top-level object of `data`; anything else (array, scalar, broken JSON) is `.malformedFeed`.
    static func object(path: String, data: [UInt8]) throws(VulnDBError) -> [String: Any] {
        guard let object = try value(path: path, data: data) as? [String: Any] else {
            throw VulnDBError(.malformedFeed, "\(path): expected a JSON object at the top level")
        }
        return object
    }

    /// The top-level JSON value of `data`; broken JSON is `.malformedFeed` naming the line.
    static func value(path: String, data: [UInt8]) throws(VulnDBError) -> Any {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(data), options: [])
        } catch {
            let why = reason(error)
            // Truncated input carries no offset; the problem is at the end.
            let offset = errorOffset(error) ?? (why.localizedCaseInsensitiveContains("end of file") ? data.count : nil)
            let line = offset.map { ":\(lineNumber(atByte: $0, in: data))" } ?? ""
            throw VulnDBError(.malformedFeed, "\(path)\(line): invalid JSON: \(why)")
        }
        return value
    }

    /// Foundation's own explanation (it carries the line and column), flattened to one line.
    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        let text = (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
        return FeedText.oneLine(text)
    }

    /// The byte offset Foundation reports ("around character 17", or the error-index key).
    private static func errorOffset(_ error: any Error) -> Int? {
        let nsError = error as NSError
        if let index = nsError.userInfo["NSJSONSerializationErrorIndex"] as? Int { return index }
        guard let text = nsError.userInfo[NSDebugDescriptionErrorKey] as? String,
              let range = text.range(of: "character ", options: .backwards)
        else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    /// 1-based line containing byte `offset`.
    private static func lineNumber(atByte offset: Int, in data: [UInt8]) -> Int {
        var line = 1
        for byte in data.prefix(max(0, offset)) where byte == UInt8(ascii: "\n") { line += 1 }
        return line
    }

    /// An array of strings, ignoring non-string members (hostile or sloppy input).
    static func strings(_ value: Any?) -> [String] {
        guard let array = value as? [Any] else { return [] }
        return array.compactMap { $0 as? String }
    }
}

/// Small string normalisations shared by importers.
enum FeedText {
    /// Collapses newlines and runs of blanks so an error message stays on one line.
    static func oneLine(_ text: some StringProtocol) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == " " }).joined(separator: " ")
    }

    /// Appends `value` unless already present (order-preserving de-duplication for short lists).
    static func appendUnique(_ value: String, to list: inout [String]) {
        if !list.contains(value) { list.append(value) }
    }
}

/// Timestamps normalised to RFC 3339 UTC without fractional seconds (`2019-09-10T17:15:00Z`),
/// the form Trivy prints, so records from different feeds compare as strings.
enum FeedTimestamp {
    /// Accepts `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` with `Z`, `±HH:MM`, `±HHMM` or no zone
    /// (taken as UTC). Returns nil for anything else and for Go's zero time (year 1), which some
    /// OSV exporters write for "unknown".
    static func normalise(_ text: String) -> String? {
        let b = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var value = 0
            for k in from..<(from + count) {
                guard FeedBytes.isDigit(b[k]) else { return nil }
                value = value * 10 + Int(b[k] - 0x30)
            }
            return value
        }
        guard let year = number(0, 4), b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let month = number(5, 2), let day = number(8, 2),
              (1...12).contains(month), (1...31).contains(day), year > 1
        else { return nil }
        // Reject 2019-02-31 and friends instead of silently rolling them over.
        guard CivilDate.civil(fromDays: CivilDate.days(year: year, month: month, day: day)) == (year, month, day) else { return nil }
        var hour = 0, minute = 0, second = 0
        var i = 10
        if i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " ") {
            guard let h = number(i + 1, 2), i + 3 < b.count, b[i + 3] == UInt8(ascii: ":"),
                  let m = number(i + 4, 2), h < 24, m < 60
            else { return nil }
            hour = h
            minute = m
            i += 6
            if i < b.count, b[i] == UInt8(ascii: ":") {
                guard let s = number(i + 1, 2), s <= 60 else { return nil }
                second = min(s, 59)
                i += 3
            }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                while i < b.count, FeedBytes.isDigit(b[i]) { i += 1 }
            }
        }
        var offsetMinutes = 0
        if i < b.count {
            switch b[i] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                i += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                guard let oh = number(i + 1, 2) else { return nil }
                var j = i + 3
                if j < b.count, b[j] == UInt8(ascii: ":") { j += 1 }
                guard let om = number(j, 2) else { return nil }
                offsetMinutes = sign * (oh * 60 + om)
                i = j + 2
            default:
                return nil
            }
        }
        guard i == b.count else { return nil }

        var seconds = CivilDate.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        seconds -= offsetMinutes * 60
        var days = seconds / 86_400
        if seconds < 0, seconds % 86_400 != 0 { days -= 1 }
        let rest = seconds - days * 86_400
        let (y, mo, d) = CivilDate.civil(fromDays: days)
        return "\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))T\(pad(rest / 3600, 2)):\(pad(rest % 3600 / 60, 2)):\(pad(rest % 60, 2))Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

}
