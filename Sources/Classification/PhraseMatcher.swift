/// Word-boundary phrase matching over a description, without regular expressions: the text is
/// lower-cased and cut into runs of ASCII letters, digits and `_` (so `verify_certificate` stays one
/// identifier), and each phrase is a sequence of
/// word patterns (`crash*` = a word starting with `crash`, `?` = any one word). This is a measured
/// hot path (`vigil report split` classifies every finding of a 200 MB report), so it works on bytes.
public struct PhraseMatcher: Sendable {
    enum Word: Sendable {
        case exact([UInt8])
        case prefix([UInt8])
        case any
    }

    struct Phrase: Sendable {
        var words: [Word]
        var categories: [Category]
        /// The phrase as written in the table, for reasons.
        var text: String
    }

    let phrases: [Phrase]
    /// First byte of a phrase's first word → phrases (no phrase starts with `?`).
    let byFirstByte: [[Int]]

    /// Builds a matcher from `(phrase, categories)` pairs such as `("buffer over read*", [.bufferOverflow])`.
    public init(_ table: [(String, [Category])]) {
        var phrases: [Phrase] = []
        var index = [[Int]](repeating: [], count: 256)
        for (text, categories) in table {
            let words: [Word] = text.split(separator: " ").map { w in
                if w == "?" { return .any }
                if w.hasSuffix("*") { return .prefix(Array(w.dropLast().utf8)) }
                return .exact(Array(w.utf8))
            }
            guard case let first? = words.first else { continue }
            let firstByte: UInt8
            switch first {
            case .exact(let b), .prefix(let b): firstByte = b[0]
            case .any: preconditionFailure("a phrase may not start with '?': \(text)")
            }
            index[Int(firstByte)].append(phrases.count)
            phrases.append(Phrase(words: words, categories: categories, text: text))
        }
        self.phrases = phrases
        byFirstByte = index
    }

    /// Categories whose phrases occur in `text`.
    public func categories(in text: String) -> Set<Category> {
        Set(matches(in: text).keys)
    }

    /// For each category whose phrases occur in `text`, the first phrase (in table order) that
    /// matched, as written in the table (`"execut* ? command*"`), or `"../"` for a traversal payload.
    public func matches(in text: String) -> [Category: String] {
        var bytes = Array(text.utf8)
        var found: [Category: String] = [:]
        // "../" and "..\" are traversal payloads whatever the words around them.
        if bytes.count >= 3 {
            for i in 0..<(bytes.count - 2) where bytes[i] == 0x2E && bytes[i + 1] == 0x2E && (bytes[i + 2] == 0x2F || bytes[i + 2] == 0x5C) {
                found[.pathTraversal] = bytes[i + 2] == 0x2F ? "../" : "..\\"
                break
            }
        }
        var firstPhrase: [Category: Int] = [:]
        var starts: [Int] = []
        var ends: [Int] = []
        let n = bytes.count
        for j in 0..<n where bytes[j] >= 0x41 && bytes[j] <= 0x5A { bytes[j] |= 0x20 }
        var i = 0
        while i < n {
            if Self.isWordByte(bytes[i]) {
                let s = i
                while i < n, Self.isWordByte(bytes[i]) { i += 1 }
                starts.append(s)
                ends.append(i)
            } else {
                i += 1
            }
        }
        let count = starts.count
        for t in 0..<count {
            for p in byFirstByte[Int(bytes[starts[t]])] {
                let phrase = phrases[p]
                if t + phrase.words.count > count { continue }
                var ok = true
                for (k, word) in phrase.words.enumerated() {
                    let s = starts[t + k], e = ends[t + k]
                    switch word {
                    case .any: continue
                    case .exact(let w):
                        ok = e - s == w.count && Self.equal(bytes, s, w)
                    case .prefix(let w):
                        ok = e - s >= w.count && Self.equal(bytes, s, w)
                    }
                    if !ok { break }
                }
                if ok {
                    for c in phrase.categories where found[c] == nil && (firstPhrase[c] ?? Int.max) > p { firstPhrase[c] = p }
                }
            }
        }
        for (c, p) in firstPhrase { found[c] = phrases[p].text }
        return found
    }

    @inline(__always) static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
    }

    @inline(__always) static func equal(_ bytes: [UInt8], _ start: Int, _ word: [UInt8]) -> Bool {
        for j in 0..<word.count where bytes[start + j] != word[j] { return false }
        return true
    }
}
