/// A NuGet package version as NuGet.Versioning's `NuGetVersion.TryParse` reads it and
/// `VersionComparer.Default` orders it.
///
/// `MAJOR[.MINOR[.PATCH[.REVISION]]][-LABEL(.LABEL)*][+METADATA]`: one to four numeric parts,
/// each a 32-bit non-negative integer (missing parts are `0`, so `1.0` = `1.0.0` = `1.0.0.0`);
/// SemVer 2 release labels (`[0-9A-Za-z-]`, no leading zero in a numeric label); metadata
/// ignored by the order. Surrounding whitespace is trimmed.
///
/// Order: the four numbers, then a version without labels after one with labels, then labels
/// one by one — numeric labels (those that fit a 32-bit integer) by value and before
/// alphanumeric ones, alphanumeric ones case-insensitively (`1.0.0-BETA` = `1.0.0-beta`) —
/// and a shorter label list first.
public struct NuGetVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// The four numeric parts.
    let numbers: [Int]
    /// Release labels, upper-cased for the case-insensitive order.
    let labels: [[UInt8]]
    private let text: String

    /// Parses `string` as `NuGetVersion.TryParse` does.
    public init(_ string: String) throws(VersionError) {
        guard let parsed = Self.parse(Array(string.utf8)) else {
            throw VersionError(scheme: .nuget, input: string, reason: "not a NuGet version")
        }
        numbers = parsed.numbers
        labels = parsed.labels
        text = string
    }

    /// The version as written.
    public var description: String { text }

    /// Whether the version has release labels (`1.0.0-beta`).
    public var isPrerelease: Bool { !labels.isEmpty }

    public static func < (lhs: NuGetVersion, rhs: NuGetVersion) -> Bool { compare(lhs, rhs) < 0 }
    public static func == (lhs: NuGetVersion, rhs: NuGetVersion) -> Bool { compare(lhs, rhs) == 0 }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(numbers)
        hasher.combine(labels.map(Label.init))
    }

    // MARK: - Comparing

    /// One label as `CompareRelease` sees it.
    enum Label: Hashable, Comparable {
        case number(Int)
        case text([UInt8])

        init(_ bytes: [UInt8]) {
            if !bytes.isEmpty, bytes.allSatisfy(ByteComparison.isDigit), let n = NuGetVersion.int32(bytes[...]) {
                self = .number(n)
            } else {
                self = .text(bytes)
            }
        }

        static func < (lhs: Label, rhs: Label) -> Bool {
            switch (lhs, rhs) {
            case (.number(let a), .number(let b)): a < b
            case (.number, .text): true
            case (.text, .number): false
            case (.text(let a), .text(let b)): a.lexicographicallyPrecedes(b)
            }
        }
    }

    static func compare(_ a: NuGetVersion, _ b: NuGetVersion) -> Int {
        compare((a.numbers, a.labels), (b.numbers, b.labels))
    }

    static func compare(_ a: (numbers: [Int], labels: [[UInt8]]), _ b: (numbers: [Int], labels: [[UInt8]])) -> Int {
        for (x, y) in zip(a.numbers, b.numbers) where x != y { return x < y ? -1 : 1 }
        switch (a.labels.isEmpty, b.labels.isEmpty) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false): return PEP440Version.compareLists(a.labels.map(Label.init), b.labels.map(Label.init))
        }
    }

    /// Total order over every string; see ``VersionComparator/compare(_:_:scheme:)``.
    ///
    /// A lenient split (numbers read by value, at most four, anything unreadable as 0; labels
    /// after the first `-`, metadata after the first `+`) orders malformed strings among valid
    /// ones; a tie goes to validity, then raw bytes.
    static func compare(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        let structural = compare(lenient(x), lenient(y))
        if structural != 0 { return structural }
        return ByteComparison.withBytes(a, b) { ab, bb in
            ByteComparison.breakTie(ab, valid: parse(x) != nil, bb, valid: parse(y) != nil)
        }
    }

    // MARK: - Parsing

    /// .NET's `String.Trim` for ASCII input (and the common Unicode spaces).
    static func trimmed(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        var s = bytes[...]
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        while let f = s.first, isSpace(f) { s = s.dropFirst() }
        while let l = s.last, isSpace(l) { s = s.dropLast() }
        return s
    }

    static func split(_ body: ArraySlice<UInt8>) -> (core: ArraySlice<UInt8>, labels: ArraySlice<UInt8>?, metadata: ArraySlice<UInt8>?) {
        var core = body
        var metadata: ArraySlice<UInt8>?
        var labels: ArraySlice<UInt8>?
        // `ParseSections`: the first `-` or `+` ends the numbers; after a `-`, the first `+`
        // ends the labels.
        if let end = body.firstIndex(where: { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }) {
            core = body[..<end]
            if body[end] == UInt8(ascii: "+") {
                metadata = body[(end + 1)...]
            } else {
                let rest = body[(end + 1)...]
                if let plus = rest.firstIndex(of: UInt8(ascii: "+")) {
                    labels = rest[..<plus]
                    metadata = rest[(plus + 1)...]
                } else {
                    labels = rest
                }
            }
        }
        return (core, labels, metadata)
    }

    static func upper(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        bytes.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }
    }

    static func parse(_ bytes: [UInt8]) -> (numbers: [Int], labels: [[UInt8]])? {
        let body = trimmed(bytes)
        guard !body.isEmpty else { return nil }
        let (core, labelText, metadata) = split(body)
        let fields = core.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard (1...4).contains(fields.count) else { return nil }
        var numbers: [Int] = []
        for field in fields {
            guard !field.isEmpty, field.allSatisfy(ByteComparison.isDigit), let n = int32(field) else { return nil }
            numbers.append(n)
        }
        while numbers.count < 4 { numbers.append(0) }
        func isIdentifier(_ part: ArraySlice<UInt8>) -> Bool {
            !part.isEmpty && part.allSatisfy { ByteComparison.isDigit($0) || ByteComparison.isLetter($0) || $0 == UInt8(ascii: "-") }
        }
        var labels: [[UInt8]] = []
        if let labelText {
            for part in labelText.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
                guard isIdentifier(part) else { return nil }
                if part.count > 1, part.first == UInt8(ascii: "0"), part.allSatisfy(ByteComparison.isDigit) { return nil }
                labels.append(upper(part))
            }
        }
        if let metadata {
            for part in metadata.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) where !isIdentifier(part) {
                return nil
            }
        }
        return (numbers, labels)
    }

    /// A digit run's value if it fits `Int32` (leading zeros allowed, as `Int32.TryParse` has it).
    static func int32(_ digits: ArraySlice<UInt8>) -> Int? {
        let significant = digits.drop { $0 == UInt8(ascii: "0") }
        guard significant.count <= 10 else { return nil }
        let value = significant.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return value <= Int(Int32.max) ? value : nil
    }

    static func lenient(_ bytes: [UInt8]) -> (numbers: [Int], labels: [[UInt8]]) {
        let (core, labelText, _) = split(trimmed(bytes))
        var numbers = core.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).prefix(4).map { field -> Int in
            guard field.allSatisfy(ByteComparison.isDigit) else { return 0 }
            return int32(field) ?? Int(Int32.max)
        }
        while numbers.count < 4 { numbers.append(0) }
        let labels = labelText.map { $0.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).map(upper) } ?? []
        return (numbers, labels)
    }
}
