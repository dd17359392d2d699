/// Finds the elements of one array in a JSON document without building the document: the byte
/// ranges of the members of the top-level object's `key` array. NVD's yearly feeds hold 40,000
/// CVEs in one `vulnerabilities` array; parsing them one at a time keeps Foundation's object
/// tree to one CVE instead of a few hundred MB.
///
/// Only locates: it tracks strings, escapes and nesting, and gives up (nil) on anything that is
/// not a well-formed prefix, leaving the full parser to report the problem with its line.
enum JSONArrayItems {
    static func elements(ofKey key: String, in data: [UInt8]) -> [Range<Int>]? {
        let wanted = Array(key.utf8)
        var i = 0
        var depth = 0
        var expectingKey = false
        var pendingKey: Range<Int>?
        while i < data.count {
            let b = data[i]
            switch b {
            case UInt8(ascii: "\""):
                guard let end = stringEnd(data, from: i) else { return nil }
                if depth == 1, expectingKey { pendingKey = (i + 1)..<end }
                expectingKey = false
                i = end + 1
                continue
            case UInt8(ascii: ":"):
                if depth == 1, let k = pendingKey, data[k].elementsEqual(wanted) {
                    var j = i + 1
                    while j < data.count, FeedBytes.isSpace(data[j]) { j += 1 }
                    guard j < data.count, data[j] == UInt8(ascii: "[") else { return nil }
                    return members(data, openingBracket: j)
                }
                pendingKey = nil
            case UInt8(ascii: "{"):
                depth += 1
                expectingKey = depth == 1
            case UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth < 0 { return nil }
            case UInt8(ascii: ","):
                expectingKey = depth == 1
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// Index of the closing quote of the string opening at `start`.
    private static func stringEnd(_ data: [UInt8], from start: Int) -> Int? {
        var i = start + 1
        while i < data.count {
            if data[i] == UInt8(ascii: "\\") { i += 2; continue }
            if data[i] == UInt8(ascii: "\"") { return i }
            i += 1
        }
        return nil
    }

    /// The members of the array opening at `openingBracket`.
    private static func members(_ data: [UInt8], openingBracket: Int) -> [Range<Int>]? {
        var result: [Range<Int>] = []
        var depth = 0
        var memberStart: Int?
        var i = openingBracket + 1
        while i < data.count {
            let b = data[i]
            if b == UInt8(ascii: "\"") {
                if memberStart == nil { memberStart = i }
                guard let end = stringEnd(data, from: i) else { return nil }
                i = end + 1
                continue
            }
            switch b {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if memberStart == nil { memberStart = i }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 {
                    guard b == UInt8(ascii: "]") else { return nil }
                    if let s = memberStart { result.append(s..<i) }
                    return result
                }
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 0 {
                    guard let s = memberStart else { return nil }
                    result.append(s..<i)
                    memberStart = nil
                }
            default:
                if memberStart == nil, !FeedBytes.isSpace(b) { memberStart = i }
            }
            i += 1
        }
        return nil
    }
}
