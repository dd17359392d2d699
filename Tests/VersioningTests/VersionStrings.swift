import PropertyBased
import Versioning

/// Generators of version strings for the property tests, plus the helpers those tests share.
///
/// Each scheme gets a prefix (epoch or first number), a run of body fragments and a tail
/// (revision or release). The alphabets are realistic fragments mixed with a few broken ones
/// (`a:`, `_foo`, `-rX`, a trailing `-`), so that a good share of the strings is valid, a good
/// share malformed, and equal-but-differently-spelled pairs turn up by chance.
enum VersionStrings {
    /// The pieces a scheme's strings are glued from.
    struct Alphabet: Sendable {
        let prefixes: [String]
        let fragments: [String]
        let tails: [String]
    }

    static let dpkg = Alphabet(
        prefixes: ["", "", "", "", "0:", "1:", "2:", "01:", "a:", ":", "-1:", "1", "2", "~"],
        fragments: [
            "0", "1", "2", "9", "10", "01", "00", ".", ".", ".", "+", "~", "~", "a", "b", "Z",
            "rc", "dfsg", "ubuntu", ":", "-", "99999999999999999999",
        ],
        tails: ["", "", "", "-1", "-0", "-00", "-1ubuntu1", "-1+deb12u1", "-1~bpo1", "-", "-a", " "]
    )

    static let apk = Alphabet(
        prefixes: ["1", "1", "2", "0", "10", "01", "", "a"],
        fragments: [
            ".0", ".1", ".2", ".10", ".01", ".00", ".9", ".0", ".1", ".2", ".3", ".12", "a", "z",
            "_alpha", "_beta", "_pre", "_rc", "_p", "_git", "_svn", "1", "01", "~ab", "~1f", "_foo", ".", "X",
        ],
        tails: ["", "", "", "-r0", "-r1", "-r10", "-r01", "-r", "-rX", "-x", "~a-r1"]
    )

    static let rpm = Alphabet(
        prefixes: ["", "", "", "", "0:", "1:", "12:", "x:", ":"],
        fragments: [
            "0", "1", "2", "10", "01", "00", ".", ".", "_", "+", "a", "b", "Z", "rc", "git", "~", "~",
            "^", "^", "el", "%",
        ],
        tails: ["", "", "-1", "-1.el7", "-2.el7_9", "-0.1~rc1", "-", "-1^git", "-01"]
    )

    static let pep440 = Alphabet(
        prefixes: ["1", "0", "2", "10", "01", "v1", "V2", "1!1", "0!0", "01!3", " 1", "a", ""],
        fragments: [
            ".0", ".1", ".2", ".10", ".01", ".00", ".0", ".1", "a", "b1", "rc1", "RC", "c2", "alpha", "pre", "preview",
            ".post", "-1", ".dev", "post2", "r", "_", "-", ".", "x",
        ],
        tails: ["", "", "", "", "+local", "+Ubuntu-1", "+1.a", "+01", "-1", ".post1", ".dev0", "+", " ", "!"]
    )

    static let semver = Alphabet(
        prefixes: ["1.2.3", "0.0.0", "v1.0.0", "v10.20.30", "2.0.0", "v0.0.0", "1.2", "01.0.0", "V1.0.0", "-1.0.0", ""],
        fragments: [
            "-alpha", "-beta", "-rc", ".1", ".2", ".11", ".0", "-0", ".a", ".20191109021931-daa7c04131f5",
            "-20210101000000-abcdef123456", "x", ".", "-01", "+",
        ],
        tails: ["", "", "", "", "+incompatible", "+build.1", "+", "+b-01", "-", ".0"]
    )

    static let npm = Alphabet(
        prefixes: ["1.2.3", "0.0.0", "v1.0.0", " 1.0.0", "10.20.30", "2.0.0", "1.2", "01.0.0", "V1.0.0", "=1.0.0", ""],
        fragments: ["-alpha", "-beta", "-rc", ".1", ".2", ".11", ".0", "-0", ".a", "-x-y", "x", ".", "-01", "+"],
        tails: ["", "", "", "", "+build.1", " ", "\t", "+", "-", ".0"]
    )

    static let maven = Alphabet(
        prefixes: ["1", "1", "0", "2", "1.0", "10", "", "a", "-"],
        fragments: [
            ".0", ".1", ".2", "-1", "-alpha", "-beta", "alpha", "a1", "b2", "m3", "-rc", "-cr", "-SNAPSHOT", ".ga",
            "-final", "-release", "-sp", "-foo", ".", "-", "10", "00", "-Alpha", "_",
        ],
        tails: ["", "", "-SNAPSHOT", ".0", "-1", "-GA", "-12345678901234567890"]
    )

    static let rubygems = Alphabet(
        prefixes: ["1", "1", "0", "2", "10", "01", "", " 1", "a"],
        fragments: [".0", ".1", ".2", ".00", ".a", ".pre", ".rc1", ".beta", "-beta", "-1", ".A", ".", "a", ".10"],
        tails: ["", "", "", " ", ".0", "-x", "-"]
    )

    static let composer = Alphabet(
        prefixes: ["1", "1", "0", "2", "v1", "V2", "01", "dev-", "", "1.0", "2010-01-02"],
        fragments: [
            ".0", ".1", ".2", ".00", "-dev", "-alpha", "-beta", "-RC", "b", "a", "-patch", "pl", "1", "2", ".x", "-",
            "master", "@dev", "-gamma", ".",
        ],
        tails: ["", "", "", "-dev", "+build", " ", ".x-dev"]
    )

    static let nuget = Alphabet(
        prefixes: ["1", "1", "0", "2", "1.0", "01", "v1", "", "2147483648"],
        fragments: [".0", ".1", ".2", ".00", "-beta", "-Beta", "-RC", ".1", "-alpha.1", ".", "-", "x", "-01"],
        tails: ["", "", "", "+meta", "+", " ", "-01"]
    )

    static func alphabet(for scheme: VersionScheme) -> Alphabet {
        switch scheme {
        case .dpkg: dpkg
        case .apk: apk
        case .rpm: rpm
        case .pep440: pep440
        case .semver: semver
        case .npm: npm
        case .maven: maven
        case .rubygems: rubygems
        case .composer: composer
        case .nuget: nuget
        }
    }

    /// A generator of strings drawn from `alphabet`; one generic shape for every scheme.
    static func strings(_ alphabet: Alphabet) -> Generator<String, some SendableSequenceType> {
        zip(
            Gen<String?>.element(of: alphabet.prefixes).map { $0! },
            Gen<String?>.element(of: alphabet.fragments).map { $0! }.array(of: 0...6),
            Gen<String?>.element(of: alphabet.tails).map { $0! }
        ).map { parts in parts.0 + parts.1.joined() + parts.2 }
    }

    static func strings(for scheme: VersionScheme) -> Generator<String, some SendableSequenceType> {
        strings(alphabet(for: scheme))
    }

    /// Triples whose second and third members are often related to the first: a spelling of it
    /// the scheme must call equal, a malformed string that ties with it structurally (so the
    /// tie-break is exercised), or its prefix glued to another string (so comparisons run deep
    /// before they decide). Independent strings alone would rarely tie.
    static func related(for scheme: VersionScheme) -> Generator<(String, String, String), some SendableSequenceType> {
        zip(strings(for: scheme), strings(for: scheme), strings(for: scheme), Gen.int(in: 0...31), Gen.int(in: 0...31))
            .map { parts in
                let (first, second, third, secondHow, thirdHow) = parts
                func relate(_ other: String, _ how: Int) -> String {
                    let variant = how / 4
                    switch how % 4 {
                    case 0: return equivalentSpelling(of: first, scheme, variant: variant) ?? other
                    case 1: return malformedTie(with: first, scheme, variant: variant) ?? other
                    case 2: return String(first.prefix(other.count % (first.count + 1))) + other
                    default: return other
                    }
                }
                return (first, relate(second, secondHow), relate(third, thirdHow))
            }
    }

    // MARK: - Shared checks

    /// Whether the scheme's type accepts `string`.
    static func isValid(_ string: String, _ scheme: VersionScheme) -> Bool {
        switch scheme {
        case .dpkg: (try? DpkgVersion(string)) != nil
        case .apk: (try? ApkVersion(string)) != nil
        case .rpm: (try? RpmVersion(string)) != nil
        case .pep440: (try? PEP440Version(string)) != nil
        case .semver: (try? SemanticVersion(string)) != nil
        case .npm: (try? NpmVersion(string)) != nil
        case .maven: true
        case .rubygems: (try? RubyGemsVersion(string)) != nil
        case .composer: (try? ComposerVersion(string)) != nil
        case .nuget: (try? NuGetVersion(string)) != nil
        }
    }

    /// The parsed value's `description`, or `nil` for a string the scheme rejects.
    static func description(_ string: String, _ scheme: VersionScheme) -> String? {
        switch scheme {
        case .dpkg: (try? DpkgVersion(string))?.description
        case .apk: (try? ApkVersion(string))?.description
        case .rpm: (try? RpmVersion(string))?.description
        case .pep440: (try? PEP440Version(string))?.description
        case .semver: (try? SemanticVersion(string))?.description
        case .npm: (try? NpmVersion(string))?.description
        case .maven: MavenVersion(string).description
        case .rubygems: (try? RubyGemsVersion(string))?.description
        case .composer: (try? ComposerVersion(string))?.description
        case .nuget: (try? NuGetVersion(string))?.description
        }
    }

    /// For two strings the scheme accepts: the typed comparison as -1/0/1, whether `==` holds,
    /// and whether the hashes agree. `nil` if either string is rejected.
    static func typed(
        _ a: String, _ b: String, _ scheme: VersionScheme
    ) -> (order: Int, equal: Bool, sameHash: Bool)? {
        func facts<V: Comparable & Hashable>(_ x: V, _ y: V) -> (order: Int, equal: Bool, sameHash: Bool) {
            (x < y ? -1 : (y < x ? 1 : 0), x == y, x.hashValue == y.hashValue)
        }
        switch scheme {
        case .dpkg:
            guard let x = try? DpkgVersion(a), let y = try? DpkgVersion(b) else { return nil }
            return facts(x, y)
        case .apk:
            guard let x = try? ApkVersion(a), let y = try? ApkVersion(b) else { return nil }
            return facts(x, y)
        case .rpm:
            guard let x = try? RpmVersion(a), let y = try? RpmVersion(b) else { return nil }
            return facts(x, y)
        case .pep440:
            guard let x = try? PEP440Version(a), let y = try? PEP440Version(b) else { return nil }
            return facts(x, y)
        case .semver:
            guard let x = try? SemanticVersion(a), let y = try? SemanticVersion(b) else { return nil }
            return facts(x, y)
        case .npm:
            guard let x = try? NpmVersion(a), let y = try? NpmVersion(b) else { return nil }
            return facts(x, y)
        case .maven:
            return facts(MavenVersion(a), MavenVersion(b))
        case .rubygems:
            guard let x = try? RubyGemsVersion(a), let y = try? RubyGemsVersion(b) else { return nil }
            return facts(x, y)
        case .composer:
            guard let x = try? ComposerVersion(a), let y = try? ComposerVersion(b) else { return nil }
            return facts(x, y)
        case .nuget:
            guard let x = try? NuGetVersion(a), let y = try? NuGetVersion(b) else { return nil }
            return facts(x, y)
        }
    }

    /// A different spelling of a valid version that the scheme must call equal, or `nil` when
    /// there is nothing to rewrite. The bits of `variant` pick which rewrites apply:
    ///
    /// - dpkg: every digit run is numeric, a missing epoch is `0` and a missing revision `0`.
    /// - apk: the first number, and `-r` numbers, are numeric (later `.` numbers are not).
    /// - rpm: every digit run is numeric, separators are interchangeable, no epoch is `0`.
    /// - pep440: case does not matter, release/epoch/pre/post/dev numbers are numeric (PEP 440
    ///   "Integer Normalization"), no epoch is `0!`.
    /// - semver: a leading `v` and build metadata do not count.
    static func equivalentSpelling(of string: String, _ scheme: VersionScheme, variant: Int = 7) -> String? {
        let (first, second, third) = (variant & 1 != 0, variant & 2 != 0, variant & 4 != 0)
        switch scheme {
        case .dpkg:
            var respelled = first ? padDigitRuns(string) : string
            if second, !string.contains(":") { respelled = "0:" + respelled }
            if third, !string.contains("-") { respelled += "-0" }
            return respelled
        case .apk:
            guard string.first?.isNumber == true else { return nil }
            let respelled = second ? replacing("-r", with: "-r0", in: string) : string
            return first || !second ? "0" + respelled : respelled
        case .rpm:
            var respelled = first ? padDigitRuns(string) : string
            if second { respelled = replacing(".", with: "_", in: respelled) }
            if third, !string.contains(":") { respelled = "0:" + respelled }
            return respelled
        case .pep440:
            // Local labels compare alphanumeric segments as text, so only pad before `+`.
            let parts = string.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)
            var head = first ? padDigitRuns(String(parts[0])) : String(parts[0])
            if third, !head.contains("!") {
                // After any leading whitespace and `v`: `v?` precedes the epoch in the grammar.
                let lead = head.prefix { $0 == " " || $0 == "v" || $0 == "V" }
                head = lead + "0!" + head.dropFirst(lead.count)
            }
            var respelled = head + (parts.count > 1 ? "+" + parts[1] : "")
            if second { respelled = respelled.uppercased() }
            return respelled
        case .semver:
            var respelled = first || !second ? (string.first == "v" ? String(string.dropFirst()) : "v" + string) : string
            if second, !string.contains("+") { respelled += "+build.7" }
            return respelled
        case .npm:
            // A `v`, build metadata and surrounding whitespace do not count.
            var body = string.trimmingSpaces()
            if first { body = body.first == "v" ? String(body.dropFirst()) : "v" + body }
            if second, !body.contains("+") { body += "+build.7" }
            return third ? " " + body + "\t" : body
        case .maven:
            // Case, leading zeros and a `.0` after a number do not count (after a qualifier it
            // would: `1.a` is `1-a` but `1.a.0` keeps `a` in the parent list).
            var respelled = first ? padDigitRuns(string) : string
            if second { respelled = respelled.uppercased() }
            if third, string.last?.isASCII == true, string.last?.isNumber == true { respelled += ".0" }
            return respelled
        case .rubygems:
            // Leading zeros, trailing `.0` and surrounding whitespace do not count.
            guard !string.trimmingSpaces().isEmpty else { return nil }
            var respelled = first ? padDigitRuns(string.trimmingSpaces()) : string.trimmingSpaces()
            if second { respelled += ".0" }
            return third ? " " + respelled + " " : respelled
        case .composer:
            // A `v` before a number, surrounding whitespace and the case of a stability word.
            guard let normalized = try? ComposerVersion(string), !normalized.isBranch,
                !string.contains("stable"), !string.contains(" as"), string.first?.isNumber == true || string.first == "v"
            else { return nil }
            var respelled = string.first == "v" ? String(string.dropFirst()) : (first ? "v" + string : string)
            if second, !string.contains("@") { respelled = respelled.uppercased() }
            return third ? " " + respelled + " " : respelled
        case .nuget:
            // Leading zeros and missing parts of the numbers, label case and metadata do not count.
            let body = string.trimmingSpaces()
            let cut = body.firstIndex { $0 == "-" || $0 == "+" } ?? body.endIndex
            var core = String(body[..<cut])
            var tail = String(body[cut...])
            if first { core = padDigitRuns(core) }
            if core.split(separator: ".").count < 4 { core += ".0" }
            if second { tail = tail.uppercased() }
            if third, !tail.contains("+") { tail += "+Meta.7" }
            return core + tail
        }
    }

    /// A malformed string that the scheme's structured comparison cannot tell from `string`, or
    /// `nil` if there is none; only the validity-then-bytes tie-break can order the two.
    ///
    /// - dpkg: an empty epoch (`:1.0`) or an empty revision (`1.0-`).
    /// - rpm: an empty epoch (`:1.0`) or a separator rpmbuild forbids (`1/0`, `1 0`).
    /// - apk: none; its tokenizer stops at the first malformed token, so no malformed string
    ///   ties with a valid one.
    static func malformedTie(with string: String, _ scheme: VersionScheme, variant: Int) -> String? {
        switch scheme {
        case .dpkg:
            if variant & 1 != 0, !string.contains(":") { return ":" + string }
            if !string.contains("-") { return string + "-" }
            return nil
        case .rpm:
            if variant & 1 != 0, !string.contains(":") { return ":" + string }
            guard string.contains(".") else { return nil }
            return replacing(".", with: variant & 2 != 0 ? "/" : " ", in: string)
        case .apk:
            return nil
        case .pep440:
            // Rejected strings sort before every valid one, so none ties with a valid one.
            return nil
        case .npm:
            // As semver, after JavaScript's trim.
            guard string.first?.isNumber == true else { return nil }
            if variant & 1 != 0 { return "V" + string }
            return "0" + string
        case .maven:
            // Maven accepts every string.
            return nil
        case .rubygems:
            // A trailing `.` adds no segment but breaks the pattern.
            return string + "."
        case .composer:
            // Rejected strings sort before every valid one.
            return nil
        case .nuget:
            // Empty metadata is rejected; the order ignores metadata.
            return string + "+"
        case .semver:
            // Leading zeros and a capital `V` are read leniently but rejected by the grammar.
            if variant & 1 != 0, string.first != "v", string.first != "V" { return "V" + string }
            guard let digit = string.firstIndex(where: { $0.isNumber }) else { return nil }
            var padded = string
            padded.insert("0", at: digit)
            return padded
        }
    }

    /// Puts a `0` in front of every run of digits.
    static func padDigitRuns(_ string: String) -> String {
        var result = ""
        var previousWasDigit = false
        for character in string {
            let isDigit = character.isASCII && character.isNumber
            if isDigit, !previousWasDigit { result.append("0") }
            result.append(character)
            previousWasDigit = isDigit
        }
        return result
    }

    /// Replaces every occurrence of `target` (no Foundation in this module's tests either).
    static func replacing(_ target: String, with replacement: String, in string: String) -> String {
        string.split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

extension String {
    /// Without ASCII spaces and tabs at either end.
    func trimmingSpaces() -> String {
        var s = self[...]
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
