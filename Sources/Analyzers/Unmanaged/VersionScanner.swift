import ContainerImage
#if canImport(Glibc)
import Glibc
#endif

/// Streams one candidate binary through its ``BinaryClassifier`` entry's evidence patterns and
/// keeps only the version found (or a warning). Memory is a window of a few hundred bytes over
/// the stream; each literal is found with `memchr` on its rarest-first byte and `memcmp`, so a 90 MB `libnode.so` costs one pass.
///
/// The sample is text: `M\t<program>\t<version>` for a match, `W\t<message>` for a warning.
struct VersionScanner: SampleReader {
    let entry: BinaryClassifier.Entry
    /// The `X.Y.` a version must start with, from the file name, for `headFromName` evidence.
    let nameHead: [UInt8]?
    let path: String
    /// The current window over the stream and how much of its start was already searched.
    private var window: [UInt8] = []
    private var searched = 0
    /// Bytes kept after a search for literals and versions that straddle chunks.
    private let reserve: Int
    private var found: String?
    private var warnings: [String] = []
    private var sawOverlong = false
    /// Build-id mode (redis): NUL-delimited `x.y.z` strings and `x.y.z…` build strings seen.
    private var standalone: Set<[UInt8]> = []
    private var buildStrings: [[UInt8]] = []
    private var run: [UInt8] = []
    private var runAfterNUL = true
    private var runValid = true

    /// What is searched for per evidence: the literal followed by the version's known head
    /// (`\0v` + `5.`), so a literal as common as a NUL byte is not tried at every NUL.
    private let needles: [[UInt8]]

    init(entry: BinaryClassifier.Entry, path: String) {
        self.entry = entry
        self.path = path
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let nameHead = Self.majorMinor(inName: base).map { Array(($0 + ".").utf8) }
        self.nameHead = nameHead
        needles = entry.evidence.map { e in
            guard e.anchor == .before else { return e.literal }
            return e.literal + e.head + (e.headFromName ? nameHead ?? [] : [])
        }
        let longest = entry.evidence.map { $0.literal.count + $0.confirm.count }.max() ?? 0
        reserve = longest + BinaryClassifier.maxVersionLength + 72
    }

    /// The first `digits.digits` in a file name (`python3.11` → `3.11`, `libpython3.11.so.1.0` → `3.11`).
    static func majorMinor(inName name: String) -> String? {
        let b = Array(name.utf8)
        var i = 0
        while i < b.count {
            if isDigit(b[i]) {
                var j = i
                while j < b.count, isDigit(b[j]) { j += 1 }
                if j + 1 < b.count, b[j] == UInt8(ascii: "."), isDigit(b[j + 1]) {
                    var k = j + 1
                    while k < b.count, isDigit(b[k]) { k += 1 }
                    return String(decoding: b[i..<k], as: UTF8.self)
                }
                i = j
            } else {
                i += 1
            }
        }
        return nil
    }

    mutating func consume(_ chunk: UnsafeRawBufferPointer) -> Bool {
        if entry.evidence.contains(where: { $0.anchor == .buildID }) { collectStrings(chunk) }
        window.append(contentsOf: chunk)
        if window.count > reserve {
            search(upTo: window.count - reserve, final: false)
            let keep = 2 * reserve
            if window.count > keep {
                let drop = window.count - keep
                window.removeFirst(drop)
                searched -= drop
            }
        }
        return found == nil
    }

    mutating func finish() -> [UInt8] {
        if found == nil { search(upTo: window.count, final: true) }
        if found == nil, entry.evidence.contains(where: { $0.anchor == .buildID }) { found = confirmedBuildVersion() }
        var lines: [String] = []
        if let found { lines.append("M\t\(entry.name)\t\(found)") }
        lines += warnings.map { "W\t\($0)" }
        return Array(lines.joined(separator: "\n").utf8)
    }

    // MARK: - Literal evidence

    private mutating func search(upTo limit: Int, final: Bool) {
        guard limit > searched else { return }
        let current = window
        current.withUnsafeBytes { w in
            for (evidence, literal) in zip(entry.evidence, needles) where evidence.anchor != .buildID && !literal.isEmpty {
                var from = searched
                while found == nil, from < limit {
                    // Occurrences must start before `limit`; the bytes after it stay in the window.
                    let end = min(w.count, limit + literal.count - 1)
                    guard end - from >= literal.count else { break }
                    guard let position = Self.find(literal, in: w, from: from, to: end) else { break }
                    if let version = parse(w, literalAt: position, evidence) {
                        found = version
                        return
                    }
                    from = position + 1
                }
                if found != nil { return }
            }
        }
        searched = limit
    }

    /// The version next to the literal at `position`, if it has the evidence's shape.
    private mutating func parse(_ w: UnsafeRawBufferPointer, literalAt position: Int, _ evidence: VersionEvidence) -> String? {
        let start: Int, end: Int
        let maxLength = BinaryClassifier.maxVersionLength
        switch evidence.anchor {
        case .before:
            start = position + evidence.literal.count
            var i = start
            while i < w.count, isVersionByte(w[i]) {
                i += 1
                if i - start > maxLength { return overlong(evidence) }
            }
            end = i
        case .after:
            end = position
            var i = end
            while i > 0, isVersionByte(w[i - 1]) {
                i -= 1
                if end - i > maxLength { return overlong(evidence) }
            }
            if i > 0, isAlphanumeric(w[i - 1]) { return nil }
            start = i
        case .buildID:
            return nil
        }
        var version = Array(w[start..<end])
        guard let first = version.first, Self.isDigit(first), Self.isDigit(version.last!) else { return nil }
        var components = 1
        var previousDot = false
        for b in version {
            if b == UInt8(ascii: ".") {
                if previousDot { return nil }
                components += 1
                previousDot = true
            } else {
                previousDot = false
            }
        }
        guard components >= evidence.minComponents else { return nil }
        var next = end
        if evidence.anchor == .before {
            if evidence.letterSuffix, next < w.count, isLower(w[next]), !(next + 1 < w.count && isAlphanumeric(w[next + 1])) {
                version.append(w[next])
                next += 1
            }
            if evidence.terminators.isEmpty {
                if next < w.count, isAlphanumeric(w[next]) { return nil }
            } else if next >= w.count || !evidence.terminators.contains(w[next]) {
                return nil
            }
            if !evidence.confirm.isEmpty {
                let stop = min(w.count, next + 64)
                var i = next
                var confirmed = false
                while i < stop, w[i] != 0 {
                    if w[i..<min(stop, i + evidence.confirm.count)].elementsEqual(evidence.confirm) { confirmed = true; break }
                    i += 1
                }
                if !confirmed { return nil }
            }
        }
        if !evidence.head.isEmpty, !version.starts(with: evidence.head) { return nil }
        if evidence.headFromName {
            guard let nameHead, version.starts(with: nameHead) else { return nil }
        }
        return String(decoding: version, as: UTF8.self)
    }

    private mutating func overlong(_ evidence: VersionEvidence) -> String? {
        if !sawOverlong {
            sawOverlong = true
            let literal = String(decoding: evidence.literal.filter { $0 >= 0x20 && $0 < 0x7F }, as: UTF8.self)
            warnings.append("\(path): version text after '\(literal)' is longer than \(BinaryClassifier.maxVersionLength) bytes; ignored")
        }
        return nil
    }

    // MARK: - Build-id evidence (redis)

    private mutating func collectStrings(_ chunk: UnsafeRawBufferPointer) {
        for b in chunk {
            if b == 0 {
                endRun(followedByNUL: true)
                runAfterNUL = true
            } else if isVersionByte(b) || isLower(b) || b == UInt8(ascii: "-") {
                if run.count < 96 { run.append(b) } else { runValid = false }
            } else {
                endRun(followedByNUL: false)
                runAfterNUL = false
            }
        }
    }

    private mutating func endRun(followedByNUL: Bool) {
        defer { run.removeAll(keepingCapacity: true); runValid = true }
        guard runValid, followedByNUL, run.count >= 5, let first = run.first, Self.isDigit(first) else { return }
        let dots = run.filter { $0 == UInt8(ascii: ".") }.count
        if runAfterNUL, dots == 2, run.allSatisfy({ isVersionByte($0) }), standalone.count < 1024 {
            standalone.insert(run)
        } else if run.count > 12, buildStrings.count < 256 {
            buildStrings.append(run)
        }
    }

    /// The longest NUL-delimited `x.y.z` that begins a build string with 8+ more characters.
    private func confirmedBuildVersion() -> String? {
        var best: [UInt8]?
        for v in standalone where v.count > (best?.count ?? 0) {
            if buildStrings.contains(where: { $0.count >= v.count + 8 && $0.starts(with: v) && !$0[v.count...].contains(UInt8(ascii: ".")) }) {
                best = v
            }
        }
        return best.map { String(decoding: $0, as: UTF8.self) }
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// The first occurrence of `literal` inside `w[from..<to]`: `memchr` (vectorised in glibc) for
    /// its least common byte, `memcmp` for the whole. (`memmem` is not visible through Swift's
    /// Glibc module.) NUL, 0xFF, space and `.` fill binaries; letters are far rarer.
    static func find(_ literal: [UInt8], in w: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        guard !literal.isEmpty, let base = w.baseAddress else { return nil }
        func commonness(_ b: UInt8) -> Int {
            switch b {
            case 0, 0xFF: 3
            case 0x20, UInt8(ascii: "."), UInt8(ascii: "/"): 2
            case 0x30...0x39: 1
            default: 0
            }
        }
        var k = 0
        for i in literal.indices where commonness(literal[i]) < commonness(literal[k]) { k = i }
        let anchor = Int32(literal[k])
        var i = from
        let lastStart = to - literal.count
        while i <= lastStart {
            guard let hit = memchr(base + i + k, anchor, lastStart - i + 1) else { return nil }
            let position = UnsafeRawPointer(hit) - base - k
            let equal = literal.withUnsafeBytes { memcmp(base + position, $0.baseAddress!, literal.count) == 0 }
            if equal { return position }
            i = position + 1
        }
        return nil
    }
}

private func isVersionByte(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: ".") }
private func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
private func isAlphanumeric(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A)
}
