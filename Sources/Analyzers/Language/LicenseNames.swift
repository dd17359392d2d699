/// Splits a free-text license field the way Trivy's `licensing.SplitLicenses` does, so the
/// `Licenses` of gemspec, Composer and conda packages read as in Trivy's report: `MIT or
/// Apache-2.0` → two names, `Apache License, Version 2.0` stays one, and a field that reads like
/// a license text (a URL, "(c)", "permission is…") becomes one `text://…` entry.
enum LicenseNames {
    /// Phrases that mark a license text rather than a name (Trivy's list).
    static let textKeywords = ["http://", "https://", "(c)", "as-is", ";", "hereby", "permission to use",
                               "permission is", "use in source", "use, copy, modify", "using"]

    static func split(_ field: String) -> [String] {
        guard !field.isEmpty else { return [] }
        let lower = field.lowercased()
        if textKeywords.contains(where: { lower.contains($0) }) { return ["text://" + field] }
        var names: [String] = []
        for part in separatedParts(field) {
            let firstWord = part.lowercased().split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            if let last = names.last {
                if firstWord == "ver" || firstWord == "version" {
                    names[names.count - 1] = last + ", " + part
                    continue
                }
                if firstWord == "later" {
                    names[names.count - 1] = last + " or " + part
                    continue
                }
            }
            names.append(part)
        }
        return names
    }

    /// Splits at Trivy's separators, `,?[_ ]+(or|and)[_ ]+` tried before `,[ ]*` at each
    /// position, leftmost first as Go's regexp does.
    static func separatedParts(_ field: String) -> [String] {
        let bytes = Array(field.utf8)
        var parts: [String] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            if let end = conjunctionEnd(bytes, at: i) ?? commaEnd(bytes, at: i) {
                parts.append(String(decoding: bytes[start..<i], as: UTF8.self))
                start = end
                i = end
            } else {
                i += 1
            }
        }
        parts.append(String(decoding: bytes[start...], as: UTF8.self))
        return parts
    }

    /// End of `,?[_ ]+(or|and)[_ ]+` starting at `i`, or nil.
    private static func conjunctionEnd(_ b: [UInt8], at i: Int) -> Int? {
        func isGap(_ x: UInt8) -> Bool { x == UInt8(ascii: " ") || x == UInt8(ascii: "_") }
        var j = i
        if b[j] == UInt8(ascii: ",") { j += 1 }
        let gap = j
        while j < b.count, isGap(b[j]) { j += 1 }
        guard j > gap else { return nil }
        for word in [Array("or".utf8), Array("and".utf8)] where j + word.count <= b.count && Array(b[j..<(j + word.count)]) == word {
            var k = j + word.count
            let after = k
            while k < b.count, isGap(b[k]) { k += 1 }
            if k > after { return k }
        }
        return nil
    }

    /// End of `,[ ]*` starting at `i`, or nil.
    private static func commaEnd(_ b: [UInt8], at i: Int) -> Int? {
        guard b[i] == UInt8(ascii: ",") else { return nil }
        var j = i + 1
        while j < b.count, b[j] == UInt8(ascii: " ") { j += 1 }
        return j
    }
}
