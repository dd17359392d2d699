import Foundation
/// Reads WordPress's version and file headers as text, never as PHP: nothing is evaluated.
enum WordPressParser {
    /// The outcome of reading `wp-includes/version.php`.
    enum CoreVersion: Equatable {
        case version(String)
        /// `$wp_version` is assigned something other than a plain string literal.
        case notLiteral(String)
        case absent
    }

    /// `$wp_version = '4.6.1';` → `4.6.1`. Mentions in comments (`@global string $wp_version`)
    /// are not assignments; the first assignment decides. A version is digits, letters, dots and
    /// `-` (`6.5-RC1`), at most 32 characters, with no escape or interpolation.
    static func coreVersion(_ bytes: [UInt8]) -> CoreVersion {
        let text = Array(bytes)
        let name = Array("$wp_version".utf8)
        var i = 0
        while let at = find(name, in: text, from: i) {
            var j = at + name.count
            i = j
            if j < text.count, isIdentifierByte(text[j]) { continue } // `$wp_version_x`
            while j < text.count, text[j] == 0x20 || text[j] == 0x09 { j += 1 }
            guard j < text.count, text[j] == UInt8(ascii: "="), j + 1 >= text.count || text[j + 1] != UInt8(ascii: "=") else { continue }
            j += 1
            while j < text.count, text[j] == 0x20 || text[j] == 0x09 { j += 1 }
            let statementEnd = text[j...].firstIndex(of: UInt8(ascii: ";")) ?? text.count
            let rhs = String(decoding: text[j..<min(statementEnd, j + 80)], as: UTF8.self)
            guard j < text.count, text[j] == UInt8(ascii: "'") || text[j] == UInt8(ascii: "\"") else { return .notLiteral(rhs) }
            let quote = text[j]
            var k = j + 1
            var value: [UInt8] = []
            while k < text.count, text[k] != quote, value.count <= 32 {
                value.append(text[k])
                k += 1
            }
            var after = k + 1
            while after < text.count, text[after] == 0x20 || text[after] == 0x09 { after += 1 }
            guard k < text.count, after < text.count, text[after] == UInt8(ascii: ";"), !value.isEmpty, value.count <= 32,
                  value.allSatisfy({ isVersionCharacter($0) }), value.first.map(isDigit) == true
            else { return .notLiteral(rhs) }
            return .version(String(decoding: value, as: UTF8.self))
        }
        return .absent
    }

    /// The value of a `Name: value` header line as WordPress's `get_file_data` reads it: the
    /// first line that, after leading spaces, tabs, `/`, `*`, `#` and `@`, starts with `field:`
    /// (case-insensitive); the value trimmed, a closing `*/` or `?>` removed.
    static func header(_ field: String, in bytes: [UInt8]) -> String? {
        let wanted = Array(field.lowercased().utf8) + [UInt8(ascii: ":")]
        for raw in bytes.split(omittingEmptySubsequences: true, whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
            var line = raw[...]
            while let f = line.first, f == 0x20 || f == 0x09 || f == UInt8(ascii: "/") || f == UInt8(ascii: "*")
                || f == UInt8(ascii: "#") || f == UInt8(ascii: "@") { line = line.dropFirst() }
            guard line.count >= wanted.count,
                  zip(line.prefix(wanted.count), wanted).allSatisfy({ lower($0) == $1 }) else { continue }
            var value = String(decoding: line.dropFirst(wanted.count), as: UTF8.self)
            for closer in ["*/", "?>"] {
                if let r = value.range(of: closer) { value = String(value[..<r.lowerBound]) }
            }
            let trimmed = value.trimmedOf(" \t")
            return trimmed.isEmpty ? nil : String(trimmed.prefix(200))
        }
        return nil
    }

    /// A header value usable as a version (`2.3.1`, `5.0-beta`); free text is not.
    static func plainVersion(_ text: String?) -> String? {
        guard let text, let first = text.utf8.first, isDigit(first), text.utf8.count <= 32,
              text.utf8.allSatisfy(isVersionCharacter) else { return nil }
        return text
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard needle.count <= hay.count else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i] == needle[0], hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isVersionCharacter(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
    }
    static func isIdentifierByte(_ b: UInt8) -> Bool { isVersionCharacter(b) && b != UInt8(ascii: ".") && b != UInt8(ascii: "-") || b == UInt8(ascii: "_") }
    static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 32 : b }
}

extension String {
    fileprivate func trimmedOf(_ set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
