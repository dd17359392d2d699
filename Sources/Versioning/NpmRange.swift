/// A node-semver range (`Range` in strict mode): `||`-separated comparator sets, each a
/// whitespace-separated list of comparators that must all hold.
///
/// The grammar and its desugaring follow node-semver 7 (`classes/range.js`) step by step:
/// - hyphen ranges `1.2 - 2.3.4` → `>=1.2.0 <=2.3.4` (a partial upper end becomes `<` the next
///   minor or major: `1.2.3 - 2.3` → `>=1.2.3 <2.4.0-0`);
/// - caret `^1.2.3` → `>=1.2.3 <2.0.0-0`, `^0.2.3` → `>=0.2.3 <0.3.0-0`, `^0.0.3` → `<0.0.4-0`;
/// - tilde `~1.2.3` / `~>1.2.3` → `>=1.2.3 <1.3.0-0`, `~1` → `>=1.0.0 <2.0.0-0`;
/// - X-ranges and partial versions `1.x`, `1.2.*`, `1`, `>1.2`, `<=1`, `*`, `x`, `""` (any);
/// - primitives `<`, `<=`, `>`, `>=`, `=` (or none) with a full version, `v` allowed.
///
/// Pre-releases: a version with a pre-release part satisfies a comparator set only if some
/// comparator in that set names a pre-release on the same MAJOR.MINOR.PATCH
/// (`>1.2.3-alpha.3` admits `1.2.3-alpha.7` but not `3.4.5-alpha.9`), unless
/// `includePrerelease` is set — node-semver's `testSet`.
public struct NpmRange: VersionRange, Hashable {
    /// One primitive comparator after desugaring.
    enum Comparator: Hashable, Sendable {
        case any
        case bound(Operator, SemanticVersion)

        enum Operator: String, Hashable, Sendable {
            case lt = "<", le = "<=", gt = ">", ge = ">=", eq = ""
        }

        func test(_ version: SemanticVersion) -> Bool {
            guard case .bound(let op, let bound) = self else { return true }
            let order = SemanticVersion.compare(version.core, version.prerelease, bound.core, bound.prerelease)
            switch op {
            case .lt: return order < 0
            case .le: return order <= 0
            case .gt: return order > 0
            case .ge: return order >= 0
            case .eq: return order == 0
            }
        }

        /// node-semver's `<0.0.0-0`, which no version satisfies.
        var isNullSet: Bool {
            guard case .bound(.lt, let v) = self else { return false }
            return v.core == [.number(.zero), .number(.zero), .number(.zero)] && v.prerelease == [.number(.zero)]
        }
    }

    /// The comparator sets; the range holds if any set holds.
    let sets: [[Comparator]]
    /// node-semver's `includePrerelease` option.
    public let includePrerelease: Bool
    private let text: String

    /// Parses `text` as node-semver's `new Range(text, { includePrerelease })`.
    public init(_ text: String, includePrerelease: Bool = false) throws(VersionError) {
        self.text = text
        self.includePrerelease = includePrerelease
        var sets: [[Comparator]] = []
        for part in Self.splitAlternatives(text) {
            sets.append(try Self.parseSet(part, includePrerelease: includePrerelease, whole: text))
        }
        // node-semver drops sets that can never match (unless all are such) and collapses the
        // range to `*` when one set is the bare `*` — which matters for pre-releases.
        if sets.count > 1 {
            let first = sets[0]
            sets = sets.filter { !($0.first?.isNullSet ?? false) }
            if sets.isEmpty {
                sets = [first]
            } else if sets.count > 1, let any = sets.first(where: { $0 == [.any] }) {
                sets = [any]
            }
        }
        self.sets = sets
    }

    /// The range as written.
    public var description: String { text }

    /// node-semver's `satisfies(version, range)`: false for a string that is not a valid npm version.
    public func contains(_ version: String) -> Bool {
        guard let parsed = try? NpmVersion(version) else { return false }
        return contains(parsed)
    }

    /// Whether `version` satisfies some comparator set, with node-semver's pre-release rule.
    public func contains(_ version: NpmVersion) -> Bool {
        sets.contains { set in
            guard set.allSatisfy({ $0.test(version.semver) }) else { return false }
            if !version.isPrerelease || includePrerelease { return true }
            return set.contains { comparator in
                guard case .bound(_, let bound) = comparator else { return false }
                return bound.isPrerelease && version.sameCore(as: bound)
            }
        }
    }

    public static func == (lhs: NpmRange, rhs: NpmRange) -> Bool {
        lhs.sets == rhs.sets && lhs.includePrerelease == rhs.includePrerelease
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(sets)
        hasher.combine(includePrerelease)
    }

    // MARK: - Parsing

    /// `range.split(/\s*\|\|\s*/)`, each part trimmed.
    static func splitAlternatives(_ text: String) -> [Substring] {
        var parts: [Substring] = []
        var rest = text[...]
        while let bars = rest.firstRange(of: "||") {
            parts.append(trim(rest[..<bars.lowerBound]))
            rest = rest[bars.upperBound...]
        }
        parts.append(trim(rest))
        return parts
    }

    static func trim(_ s: Substring) -> Substring {
        var s = s
        while let c = s.unicodeScalars.first, NpmVersion.isJavaScriptWhitespace(c) { s = s.dropFirst() }
        while let c = s.unicodeScalars.last, NpmVersion.isJavaScriptWhitespace(c) { s = s.dropLast() }
        return s
    }

    static func tokens(_ s: Substring) -> [Substring] {
        s.split(whereSeparator: { $0.unicodeScalars.allSatisfy(NpmVersion.isJavaScriptWhitespace) })
    }

    /// One comparator set: hyphen range, or whitespace-separated comparators.
    static func parseSet(_ set: Substring, includePrerelease: Bool, whole: String) throws(VersionError) -> [Comparator] {
        var words = tokens(set)
        var strings: [String] = []
        if words.count == 3, words[1] == "-", let from = Partial(plain: words[0]), let to = Partial(plain: words[2]) {
            strings = hyphen(from, words[0], to, words[2], includePrerelease: includePrerelease)
        } else {
            // Comparator, tilde and caret trims: an operator standing alone binds to the next word.
            var glued: [Substring] = []
            var index = 0
            while index < words.count {
                let word = words[index]
                if ["<", ">", "<=", ">=", "=", "~", "~>", "^"].contains(word), index + 1 < words.count {
                    glued.append(Substring(String(word == "~>" ? "~" : word) + words[index + 1]))
                    index += 2
                } else {
                    glued.append(word)
                    index += 1
                }
            }
            words = glued
            for word in words { strings += desugar(word, includePrerelease: includePrerelease) }
        }
        var comparators: [Comparator] = []
        for string in strings {
            let comparator = try primitive(string, whole: whole)
            if !comparators.contains(comparator) { comparators.append(comparator) }
        }
        // Only after every comparator parsed: an invalid one fails the range even next to `<0.0.0-0`.
        if let null = comparators.first(where: \.isNullSet) { return [null] }
        if comparators.count > 1 { comparators.removeAll { $0 == .any } }
        return comparators.isEmpty ? [.any] : comparators
    }

    /// node-semver's `hyphenReplace`.
    static func hyphen(_ f: Partial, _ fromText: Substring, _ t: Partial, _ toText: Substring, includePrerelease: Bool) -> [String] {
        let z = includePrerelease ? "-0" : ""
        var out: [String] = []
        if let fM = f.major {
            if let fm = f.minor {
                if f.patch != nil {
                    out.append(f.prerelease != nil ? ">=\(fromText)" : ">=\(fromText)\(z)")
                } else {
                    out.append(">=\(fM).\(fm).0\(z)")
                }
            } else {
                out.append(">=\(fM).0.0\(z)")
            }
        }
        if let tM = t.major {
            if let tm = t.minor {
                if let tp = t.patch {
                    if let pr = t.prerelease {
                        out.append("<=\(tM).\(tm).\(tp)-\(pr)")
                    } else if includePrerelease {
                        out.append("<\(tM).\(tm).\(tp + 1)-0")
                    } else {
                        out.append("<=\(toText)")
                    }
                } else {
                    out.append("<\(tM).\(tm + 1).0-0")
                }
            } else {
                out.append("<\(tM + 1).0.0-0")
            }
        }
        return out.isEmpty ? [""] : out
    }

    /// Caret, tilde and X-range desugaring of one word (`replaceCaret`, `replaceTilde`,
    /// `replaceXRange`, `replaceStars`); a word none of them matches is returned as is.
    static func desugar(_ word: Substring, includePrerelease: Bool) -> [String] {
        let z = includePrerelease ? "-0" : ""
        if word.hasPrefix("^") {
            guard let p = Partial(prefixed: word.dropFirst()) else { return [String(word)] }
            guard let M = p.major else { return [""] }
            guard let m = p.minor else { return [">=\(M).0.0\(z)", "<\(M + 1).0.0-0"] }
            guard let pt = p.patch else {
                return M == 0 ? [">=\(M).\(m).0\(z)", "<\(M).\(m + 1).0-0"] : [">=\(M).\(m).0\(z)", "<\(M + 1).0.0-0"]
            }
            if let pr = p.prerelease {
                if M == 0 {
                    return m == 0 ? [">=0.0.\(pt)-\(pr)", "<0.0.\(pt + 1)-0"] : [">=0.\(m).\(pt)-\(pr)", "<0.\(m + 1).0-0"]
                }
                return [">=\(M).\(m).\(pt)-\(pr)", "<\(M + 1).0.0-0"]
            }
            if M == 0 {
                return m == 0 ? [">=0.0.\(pt)\(z)", "<0.0.\(pt + 1)-0"] : [">=0.\(m).\(pt)\(z)", "<0.\(m + 1).0-0"]
            }
            return [">=\(M).\(m).\(pt)", "<\(M + 1).0.0-0"]
        }
        if word.hasPrefix("~") {
            let rest = word.hasPrefix("~>") ? word.dropFirst(2) : word.dropFirst()
            guard let p = Partial(prefixed: rest) else { return [String(word)] }
            guard let M = p.major else { return [""] }
            guard let m = p.minor else { return [">=\(M).0.0", "<\(M + 1).0.0-0"] }
            guard let pt = p.patch else { return [">=\(M).\(m).0", "<\(M).\(m + 1).0-0"] }
            if let pr = p.prerelease { return [">=\(M).\(m).\(pt)-\(pr)", "<\(M).\(m + 1).0-0"] }
            return [">=\(M).\(m).\(pt)", "<\(M).\(m + 1).0-0"]
        }
        var op = ""
        var rest = word
        if let c = rest.first, c == "<" || c == ">" { op.append(c); rest = rest.dropFirst() }
        if rest.first == "=" { op.append("="); rest = rest.dropFirst() }
        if let p = Partial(prefixed: rest) {
            var gtlt = op
            if p.major != nil, p.minor != nil, p.patch != nil { return [String(word)] }  // a full version: left alone
            if gtlt == "=" { gtlt = "" }
            let pr = includePrerelease ? "-0" : ""
            guard var M = p.major else { return gtlt == ">" || gtlt == "<" ? ["<0.0.0-0"] : [""] }
            if !gtlt.isEmpty {
                var m = p.minor ?? 0
                let xm = p.minor == nil
                var suffix = pr
                if gtlt == ">" {
                    gtlt = ">="
                    if xm { M += 1; m = 0 } else { m += 1 }
                } else if gtlt == "<=" {
                    gtlt = "<"
                    if xm { M += 1 } else { m += 1 }
                }
                if gtlt == "<" { suffix = "-0" }
                return ["\(gtlt)\(M).\(m).0\(suffix)"]
            }
            guard let m = p.minor else { return [">=\(M).0.0\(pr)", "<\(M + 1).0.0-0"] }
            return [">=\(M).\(m).0\(pr)", "<\(M).\(m + 1).0-0"]
        }
        // `replaceStars`: the first `*` goes, with the operator before it.
        if let star = word.firstIndex(of: "*") {
            var start = star
            if start > word.startIndex, word[word.index(before: start)] == "=" { start = word.index(before: start) }
            if start > word.startIndex, "<>".contains(word[word.index(before: start)]) { start = word.index(before: start) }
            return [String(word[..<start] + word[word.index(after: star)...])]
        }
        return [String(word)]
    }

    /// A desugared comparator string: `""` (any), or an operator then `v?` and a full version.
    static func primitive(_ string: String, whole: String) throws(VersionError) -> Comparator {
        if string.isEmpty { return .any }
        var rest = string[...]
        var op = ""
        if let c = rest.first, c == "<" || c == ">" { op.append(c); rest = rest.dropFirst() }
        if rest.first == "=" { op.append("="); rest = rest.dropFirst() }
        if op == "=" { op = "" }
        let version = rest.hasPrefix("v") ? rest.dropFirst() : rest
        guard NpmVersion.invalidReason(String(version)) == nil, version.first?.isNumber == true,
            let semver = try? SemanticVersion(String(version)),
            let parsedOp = Comparator.Operator(rawValue: op)
        else {
            throw VersionError(scheme: .npm, input: whole, reason: "invalid comparator '\(string)'", subject: .range)
        }
        return .bound(parsedOp, semver)
    }

    /// node-semver's `XRANGEPLAIN`: `M[.m[.p[-pre][+build]]]`, each number possibly `x`, `X` or
    /// `*` (nil here); numbers above `Number.MAX_SAFE_INTEGER` are refused.
    struct Partial {
        var major: Int?
        var minor: Int?
        var patch: Int?
        var prerelease: Substring?

        /// After the `[v=\s]*` that node-semver allows in front of a partial version.
        init?(prefixed text: Substring) {
            self.init(plain: text.drop { $0 == "v" || $0 == "=" })
        }

        init?(plain raw: Substring) {
            let text = raw.drop { $0 == "v" || $0 == "=" }
            var body = text
            var build: Substring?
            if let plus = body.firstIndex(of: "+") {
                build = body[body.index(after: plus)...]
                body = body[..<plus]
            }
            var pre: Substring?
            if let dash = body.firstIndex(of: "-") {
                pre = body[body.index(after: dash)...]
                body = body[..<dash]
            }
            let fields = body.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...3).contains(fields.count) else { return nil }
            // A pre-release or build only after all three fields.
            if pre != nil || build != nil { guard fields.count == 3 else { return nil } }
            var numbers: [Int?] = []
            for field in fields {
                if field == "x" || field == "X" || field == "*" {
                    numbers.append(nil)
                } else {
                    guard !field.isEmpty, field.allSatisfy({ $0.isASCII && $0.isNumber }), field.count <= 16,
                        field.count == 1 || field.first != "0",
                        let n = Int(field), n <= NpmVersion.maxSafeInteger
                    else { return nil }
                    numbers.append(n)
                }
            }
            if let pre {
                for identifier in pre.split(separator: ".", omittingEmptySubsequences: false) {
                    guard !identifier.isEmpty, identifier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
                    else { return nil }
                    if identifier.count > 1, identifier.first == "0", identifier.allSatisfy(\.isNumber) { return nil }
                }
            }
            if let build {
                for identifier in build.split(separator: ".", omittingEmptySubsequences: false) {
                    guard !identifier.isEmpty, identifier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
                    else { return nil }
                }
            }
            // isX: a missing or X field makes every later field X too.
            major = numbers[0]
            minor = major == nil || numbers.count < 2 ? nil : numbers[1]
            patch = minor == nil || numbers.count < 3 ? nil : numbers[2]
            prerelease = patch == nil ? nil : pre
        }
    }
}
