/// A Composer version constraint, parsed as composer/semver 3's
/// `VersionParser::parseConstraints` parses it and tested as `Semver::satisfies` tests it.
///
/// - `||` or `|` separates alternatives; `,` or a space inside one means AND
///   (`>=1.0 <2.0`, `>=1.0,<2.0`);
/// - `^1.2.3` → `>=1.2.3.0-dev <2.0.0.0-dev`, `^0.3` → `<0.4.0.0-dev`;
///   `~1.2` → `>=1.2.0.0-dev <2.0.0.0-dev`, `~1.2.3` → `<1.3.0.0-dev`;
/// - wildcards `1.2.*`, `1.x`, `*`; hyphen ranges `1.0 - 2.0` (a partial upper end means "below
///   the next": `<2.1.0.0-dev`);
/// - primitives `=`, `==`, `!=`, `<>`, `<`, `<=`, `>`, `>=`; a bare `<1.0` or `>=1.0` also
///   excludes/admits that version's dev pre-releases (`<1.0.0.0-dev`), as Composer appends `-dev`;
/// - `@dev`/`@beta`… stability flags, `#ref` on branch constraints, `x as y` aliases.
///
/// Branches (`dev-master`) satisfy only `==`/`!=` with the same branch (and `*`).
public struct ComposerConstraint: VersionRange, Hashable {
    /// One primitive constraint, over normalised versions.
    enum Primitive: Hashable, Sendable {
        case all
        case compare(Operator, String)

        enum Operator: String, Hashable, Sendable {
            case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
        }

        /// `Constraint::matchSpecific` with an `==` provider and `compareBranches` off.
        func test(_ version: ComposerVersion) -> Bool {
            guard case .compare(let op, let bound) = self else { return true }
            let versionIsBranch = version.normalized.hasPrefix("dev-")
            let boundIsBranch = bound.hasPrefix("dev-")
            if op == .ne, versionIsBranch || boundIsBranch { return version.normalized != bound }
            if versionIsBranch, boundIsBranch { return op == .eq && version.normalized == bound }
            if versionIsBranch || boundIsBranch { return false }
            let order = ComposerVersion.compare(version.key, ComposerVersion.key(bound))
            switch op {
            case .eq: return order == 0
            case .ne: return order != 0
            case .lt: return order < 0
            case .le: return order <= 0
            case .gt: return order > 0
            case .ge: return order >= 0
            }
        }
    }

    /// Alternatives of conjunctions.
    let alternatives: [[Primitive]]
    private let text: String

    /// Parses a constraint; throws where `parseConstraints` throws.
    public init(_ text: String) throws(VersionError) {
        self.text = text
        var alternatives: [[Primitive]] = []
        for alternative in Self.splitAlternatives(String(ComposerNormalizer.phpTrim(text[...]))) {
            var primitives: [Primitive] = []
            for part in Self.splitConjunction(alternative) {
                guard let parsed = Self.parse(part) else {
                    throw VersionError(scheme: .composer, input: text, reason: "could not parse version constraint '\(part)'", subject: .range)
                }
                primitives += parsed
            }
            alternatives.append(primitives)
        }
        self.alternatives = Self.mergeContiguous(alternatives)
    }

    /// `MultiConstraint::optimizeConstraints` for `||`: `[>=a <b] || [>=b <c]` becomes
    /// `[>=a <c]`. Composer does this without checking that `a <= b`, so an inverted first
    /// interval (`3.2 - 0 || ~1`, whose `<1.0.0.0-dev` meets `~1`'s `>=1.0.0.0-dev`) swallows
    /// the second; Vigil does the same so that constraints mean what they mean to Composer.
    static func mergeContiguous(_ alternatives: [[Primitive]]) -> [[Primitive]] {
        guard alternatives.count > 1 else { return alternatives }
        var merged: [[Primitive]] = []
        var left = alternatives[0]
        for right in alternatives.dropFirst() {
            if left.count == 2, right.count == 2,
                case .compare(.ge, _) = left[0], case .compare(.lt, let leftUpper) = left[1],
                case .compare(.ge, let rightLower) = right[0], case .compare(let op, _) = right[1], op == .lt || op == .le,
                leftUpper == rightLower
            {
                left = [left[0], right[1]]
            } else {
                merged.append(left)
                left = right
            }
        }
        merged.append(left)
        return merged
    }

    /// The constraint as written.
    public var description: String { text }

    /// `Semver::satisfies`: false when Composer cannot normalise `version`.
    public func contains(_ version: String) -> Bool {
        guard let parsed = try? ComposerVersion(version) else { return false }
        return contains(parsed)
    }

    /// Whether some alternative holds entirely.
    public func contains(_ version: ComposerVersion) -> Bool {
        alternatives.contains { $0.allSatisfy { $0.test(version) } }
    }

    // MARK: - Splitting

    static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" || c == "\u{0B}" }

    /// `preg_split('{\s*\|\|?\s*}', …)`.
    static func splitAlternatives(_ text: String) -> [String] {
        let chars = Array(text.unicodeScalars)
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var i = 0
        while i < chars.count {
            // A separator is whitespace, one or two bars, whitespace; the whitespace before it
            // belongs to the separator, so it is dropped from the part.
            var j = i
            while j < chars.count, isSpace(chars[j]) { j += 1 }
            if j < chars.count, chars[j] == "|" {
                j += 1
                if j < chars.count, chars[j] == "|" { j += 1 }
                while j < chars.count, isSpace(chars[j]) { j += 1 }
                parts.append(String(current))
                current = String.UnicodeScalarView()
                i = j
                continue
            }
            current.append(chars[i])
            i += 1
        }
        parts.append(String(current))
        return parts
    }

    /// `preg_split('{(?<!^|as|[=>< ,]) *(?<!-)[, ](?!-) *(?!,|as|$)}', …)`: a comma or space
    /// splits unless an operator, a comma, `as` or a hyphen range is next to it.
    static func splitConjunction(_ text: String) -> [String] {
        let c = Array(text.unicodeScalars)
        func at(_ i: Int, _ s: String) -> Bool {
            let u = Array(s.unicodeScalars)
            return i >= 0 && i + u.count <= c.count && Array(c[i..<(i + u.count)]) == u
        }
        var parts: [String] = []
        var partStart = 0
        var s = 0
        while s < c.count {
            var matchEnd: Int?
            // Lookbehind at s.
            if s > 0, !at(s - 2, "as"), !"=>< ,".unicodeScalars.contains(c[s - 1]) {
                var maxSpaces = 0
                while s + maxSpaces < c.count, c[s + maxSpaces] == " " { maxSpaces += 1 }
                var n1 = maxSpaces
                search: while n1 >= 0 {
                    let k = s + n1
                    if k < c.count, c[k] == "," || c[k] == " ", c[k - 1] != "-", !(k + 1 < c.count && c[k + 1] == "-") {
                        var n2 = 0
                        while k + 1 + n2 < c.count, c[k + 1 + n2] == " " { n2 += 1 }
                        while n2 >= 0 {
                            let p = k + 1 + n2
                            if p < c.count, c[p] != ",", !at(p, "as") {
                                matchEnd = p
                                break search
                            }
                            n2 -= 1
                        }
                    }
                    n1 -= 1
                }
            }
            if let end = matchEnd {
                parts.append(String(String.UnicodeScalarView(c[partStart..<s])))
                partStart = end
                s = end
            } else {
                s += 1
            }
        }
        parts.append(String(String.UnicodeScalarView(c[partStart...])))
        return parts
    }

    // MARK: - One constraint

    static let space = ComposerNormalizer.space
    static let versionPattern =
        "v?([0-9]++)(?:\\.([0-9]++))?(?:\\.([0-9]++))?(?:\\.([0-9]++))?(?:\(ComposerNormalizer.modifier)|\\.([xX*][.-]?dev))(?:\\+[^\(space)]+)?"
    nonisolated(unsafe) static let stabilitySuffix = ComposerNormalizer.regex("(?i)^([^,\(space)]*?)@(stable|RC|beta|alpha|dev)$")
    nonisolated(unsafe) static let reference = ComposerNormalizer.regex("(?i)^(dev-[^,\(space)@]+?|[^,\(space)@]+?\\.x-dev)#.+$")
    nonisolated(unsafe) static let anything = ComposerNormalizer.regex("(?i)^(v)?[xX*](\\.[xX*])*$")
    nonisolated(unsafe) static let tilde = ComposerNormalizer.regex("(?i)^~>?\(versionPattern)$")
    nonisolated(unsafe) static let caret = ComposerNormalizer.regex("(?i)^\\^\(versionPattern)($)")
    nonisolated(unsafe) static let wildcard = ComposerNormalizer.regex("^v?([0-9]++)(?:\\.([0-9]++))?(?:\\.([0-9]++))?(?:\\.[xX*])++$")
    nonisolated(unsafe) static let hyphen = ComposerNormalizer.regex("(?i)^(?P<from>\(versionPattern)) +- +(?P<to>\(versionPattern))($)")
    nonisolated(unsafe) static let primitive = ComposerNormalizer.regex("^(<>|!=|>=?|<=?|==?)?\(space)*(.*)")
    nonisolated(unsafe) static let modifierTail = ComposerNormalizer.regex("-\(ComposerNormalizer.modifier)$")

    /// `VersionParser::parseConstraint`, or nil where it throws.
    static func parse(_ input: String) -> [Primitive]? {
        typealias N = ComposerNormalizer
        var constraint = input
        var stabilityModifier = ""
        if let m = try? N.alias.wholeMatch(in: constraint) { constraint = N.group(m, 1) }
        if let m = try? stabilitySuffix.wholeMatch(in: constraint) {
            constraint = N.group(m, 1).isEmpty ? "*" : N.group(m, 1)
            if N.group(m, 2) != "stable" { stabilityModifier = N.group(m, 2) }
        }
        if let m = try? reference.wholeMatch(in: constraint) { constraint = N.group(m, 1) }
        if let m = try? anything.wholeMatch(in: constraint) {
            if !N.group(m, 1).isEmpty || !N.group(m, 2).isEmpty { return [.compare(.ge, "0.0.0.0-dev")] }
            return [.all]
        }
        if let m = try? tilde.wholeMatch(in: constraint) {
            if constraint.hasPrefix("~>") { return nil }
            var position = !N.group(m, 4).isEmpty ? 4 : !N.group(m, 3).isEmpty ? 3 : !N.group(m, 2).isEmpty ? 2 : 1
            if !N.group(m, 8).isEmpty { position += 1 }
            let suffix = N.group(m, 5).isEmpty && N.group(m, 7).isEmpty && N.group(m, 8).isEmpty ? "-dev" : ""
            guard let low = N.normalize(String((constraint + suffix).unicodeScalars.dropFirst())),
                let high = manipulate(numbers(m, from: 1), position: max(1, position - 1), increment: 1)
            else { return nil }
            return [.compare(.ge, low), .compare(.lt, high + "-dev")]
        }
        if let m = try? caret.wholeMatch(in: constraint) {
            let position = N.group(m, 1) != "0" || N.group(m, 2).isEmpty ? 1 : (N.group(m, 2) != "0" || N.group(m, 3).isEmpty ? 2 : 3)
            let suffix = N.group(m, 5).isEmpty && N.group(m, 7).isEmpty && N.group(m, 8).isEmpty ? "-dev" : ""
            guard let low = N.normalize(String((constraint + suffix).unicodeScalars.dropFirst())),
                let high = manipulate(numbers(m, from: 1), position: position, increment: 1)
            else { return nil }
            return [.compare(.ge, low), .compare(.lt, high + "-dev")]
        }
        if let m = try? wildcard.wholeMatch(in: constraint) {
            let position = !N.group(m, 3).isEmpty ? 3 : !N.group(m, 2).isEmpty ? 2 : 1
            guard let low = manipulate(numbers(m, from: 1), position: position, increment: 0),
                let high = manipulate(numbers(m, from: 1), position: position, increment: 1)
            else { return nil }
            if low + "-dev" == "0.0.0.0-dev" { return [.compare(.lt, high + "-dev")] }
            return [.compare(.ge, low + "-dev"), .compare(.lt, high + "-dev")]
        }
        if let m = try? hyphen.wholeMatch(in: constraint) {
            let lowSuffix = N.group(m, 6).isEmpty && N.group(m, 8).isEmpty && N.group(m, 9).isEmpty ? "-dev" : ""
            guard let low = N.normalize(N.group(m, 1)), let to = N.normalize(N.group(m, 10)) else { return nil }
            // `$empty`: PHP's empty(), except that "0" counts as present.
            func present(_ i: Int) -> Bool { !N.group(m, i).isEmpty }
            if (present(12) && present(13)) || present(15) || present(17) || present(18) {
                return [.compare(.ge, low + lowSuffix), .compare(.le, to)]
            }
            guard let high = manipulate(numbers(m, from: 11), position: present(12) ? 2 : 1, increment: 1) else { return nil }
            return [.compare(.ge, low + lowSuffix), .compare(.lt, high + "-dev")]
        }
        if let m = try? primitive.firstMatch(in: constraint), m.range.lowerBound == constraint.startIndex {
            let written = N.group(m, 2)
            var version: String
            if let normalized = N.normalize(written) {
                version = normalized
            } else if written.hasSuffix("-dev"), !written.isEmpty,
                written.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-./".unicodeScalars.contains($0)) }),
                let normalized = N.normalize("dev-" + String(written.unicodeScalars.dropLast(4)))
            {
                version = normalized
            } else {
                return nil
            }
            let written1 = N.group(m, 1)
            let op: Primitive.Operator
            switch written1 {
            case "", "=", "==": op = .eq
            case "!=", "<>": op = .ne
            case "<": op = .lt
            case "<=": op = .le
            case ">": op = .gt
            default: op = .ge
            }
            if written1 != "==", written1 != "=", written1 != "", !stabilityModifier.isEmpty, N.stability(of: version) == "stable" {
                version += "-" + stabilityModifier
            } else if written1 == "<" || written1 == ">=" {
                if (try? modifierTail.firstMatch(in: written.lowercased())) == nil, !written.hasPrefix("dev-") {
                    version += "-dev"
                }
            }
            return [.compare(op, version)]
        }
        return nil
    }

    /// The four number groups starting at `first` (`""` where absent).
    static func numbers(_ m: Regex<AnyRegexOutput>.Match, from first: Int) -> [String] {
        (first..<(first + 4)).map { ComposerNormalizer.group(m, $0) }
    }

    /// `manipulateVersionString`: zero every number after `position`, add `increment` at it.
    static func manipulate(_ numbers: [String], position: Int, increment: Int) -> String? {
        var parts = numbers
        for i in stride(from: 4, to: 0, by: -1) {
            if i > position {
                parts[i - 1] = "0"
            } else if i == position, increment != 0 {
                // PHP adds to the numeric string; the value is what is printed back.
                guard let value = Int(parts[i - 1].isEmpty ? "0" : parts[i - 1]) else { return nil }
                parts[i - 1] = String(value + increment)
            }
        }
        return parts.joined(separator: ".")
    }

    public static func == (lhs: ComposerConstraint, rhs: ComposerConstraint) -> Bool { lhs.alternatives == rhs.alternatives }
    public func hash(into hasher: inout Hasher) { hasher.combine(alternatives) }
}
