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
    /// The distinct first words of the phrases, each with the phrases that start with it: a text
    /// word is compared with each distinct first word once, and only the phrases behind a match
    /// are tried (the taxonomy families give hundreds of phrases but a few dozen first words).
    let firstWords: [(word: Word, phrases: [Int])]
    /// First byte of a first word → indices into `firstWords` (no phrase starts with `?`).
    let byFirstByte: [[Int]]

    /// Builds a matcher from `(phrase, categories)` pairs such as `("buffer over read*", [.bufferOverflow])`.
    public init(_ table: [(String, [Category])]) {
        var phrases: [Phrase] = []
        var firstWords: [(word: Word, phrases: [Int])] = []
        var firstWordIndex: [String: Int] = [:]
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
            let key = String(text.split(separator: " ")[0])
            if let i = firstWordIndex[key] {
                firstWords[i].phrases.append(phrases.count)
            } else {
                firstWordIndex[key] = firstWords.count
                index[Int(firstByte)].append(firstWords.count)
                firstWords.append((first, [phrases.count]))
            }
            phrases.append(Phrase(words: words, categories: categories, text: text))
        }
        self.phrases = phrases
        self.firstWords = firstWords
        byFirstByte = index
    }

    /// Categories whose phrases occur in `text`.
    public func categories(in text: String) -> Set<Category> {
        var best = [Int](repeating: Int.max, count: Category.allCases.count)
        matchIndices(in: text, into: &best)
        return Set(Category.allCases.filter { best[$0.index] != Int.max })
    }

    /// The table text of phrase `index` as `matchIndices` reports it (`-1` = "../", `-2` = "..\\").
    public func phraseText(_ index: Int) -> String {
        switch index {
        case -1: "../"
        case -2: "..\\"
        default: phrases[index].text
        }
    }

    /// For each category (by `Category.index`), lowers `best` to the index of the first phrase
    /// in table order that occurs in `text` (`-1`/`-2` for a `../` or `..\\` payload). No
    /// dictionaries and no strings: this runs for every vulnerability of a report.
    public func matchIndices(in text: String, into best: inout [Int]) {
        var bytes = Array(text.utf8)
        // "../" and "..\" are traversal payloads whatever the words around them.
        if bytes.count >= 3 {
            for i in 0..<(bytes.count - 2) where bytes[i] == 0x2E && bytes[i + 1] == 0x2E && (bytes[i + 2] == 0x2F || bytes[i + 2] == 0x5C) {
                best[Category.pathTraversal.index] = min(best[Category.pathTraversal.index], bytes[i + 2] == 0x2F ? -1 : -2)
                break
            }
        }
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
            let s0 = starts[t], e0 = ends[t]
            for f in byFirstByte[Int(bytes[s0])] {
                switch firstWords[f].word {
                case .any: continue
                case .exact(let w): if e0 - s0 != w.count || !Self.equal(bytes, s0, w) { continue }
                case .prefix(let w): if e0 - s0 < w.count || !Self.equal(bytes, s0, w) { continue }
                }
                for p in firstWords[f].phrases {
                    let phrase = phrases[p]
                    if t + phrase.words.count > count { continue }
                    var ok = true
                    for k in 1..<max(1, phrase.words.count) {
                        let s = starts[t + k], e = ends[t + k]
                        switch phrase.words[k] {
                        case .any: continue
                        case .exact(let w):
                            ok = e - s == w.count && Self.equal(bytes, s, w)
                        case .prefix(let w):
                            ok = e - s >= w.count && Self.equal(bytes, s, w)
                        }
                        if !ok { break }
                    }
                    if ok {
                        for c in phrase.categories where best[c.index] > p { best[c.index] = p }
                    }
                }
            }
        }
    }

    @inline(__always) static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
    }

    @inline(__always) static func equal(_ bytes: [UInt8], _ start: Int, _ word: [UInt8]) -> Bool {
        for j in 0..<word.count where bytes[start + j] != word[j] { return false }
        return true
    }
}
