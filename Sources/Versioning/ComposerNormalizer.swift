/// composer/semver 3's `VersionParser::normalize` and the regular expressions its constraint
/// parser shares, transcribed with PCRE's byte semantics (`\d` is `[0-9]`, `\s` ASCII
/// whitespace) so that a version Composer accepts is accepted here and normalised the same.
///
/// Swift `Regex` is slow next to byte loops, but normalisation runs once per version string
/// parsed, never per comparison of already parsed values.
///
/// The patterns are `nonisolated(unsafe)` statics because `Regex<AnyRegexOutput>` is not
/// `Sendable` (its output holds `Any`), not because anything mutates them: a `Regex` compiles
/// its program once with an atomic initialisation and matching leaves it unchanged.
enum ComposerNormalizer {
    /// PCRE's `\s` without the `u` flag.
    static let space = "[ \\t\\n\\r\\f\\x0B]"
    /// `VersionParser::$modifierRegex`.
    static let modifier = "[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?[0-9]+)*+)?)?([.-]?dev)?"

    static func regex(_ pattern: String) -> Regex<AnyRegexOutput> {
        // The patterns are constants; a typo is a programming error caught by every test.
        (try! Regex(pattern)).matchingSemantics(.unicodeScalar)
    }

    nonisolated(unsafe) static let alias = regex("^([^,\(space)]++) ++as ++([^,\(space)]++)$")
    nonisolated(unsafe) static let stabilityFlag = regex("(?i)@(?:stable|RC|beta|alpha|dev)$")
    nonisolated(unsafe) static let build = regex("^([^,\(space)+]++)\\+[^\(space)]++$")
    nonisolated(unsafe) static let classical = regex("(?i)^v?([0-9]{1,5})(\\.[0-9]++)?(\\.[0-9]++)?(\\.[0-9]++)?\(modifier)$")
    nonisolated(unsafe) static let date = regex("(?i)^v?([0-9]{4}(?:[.:-]?[0-9]{2}){1,6}(?:[.:-]?[0-9]{1,3})?)\(modifier)$")
    nonisolated(unsafe) static let devSuffix = regex("(?i)^(.*?)[.-]?dev$")
    nonisolated(unsafe) static let stabilityTail = regex("(?i)\(modifier)(?:\\+.*)?$")
    nonisolated(unsafe) static let branch = regex("(?i)^v?([0-9]++)(\\.(?:[0-9]++|[xX*]))?(\\.(?:[0-9]++|[xX*]))?(\\.(?:[0-9]++|[xX*]))?$")

    /// A capture group's text, `""` for a group that did not take part (PHP's `$matches[i]`).
    static func group(_ match: Regex<AnyRegexOutput>.Match, _ index: Int) -> String {
        guard index < match.output.count, let s = match.output[index].substring else { return "" }
        return String(s)
    }

    /// PHP's `trim`: space, `\t`, `\n`, `\r`, NUL and `\x0B` at both ends.
    static func phpTrim(_ s: Substring) -> Substring {
        let set: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r", "\0", "\u{0B}"]
        var s = s
        while let c = s.unicodeScalars.first, set.contains(c) { s = Substring(s.unicodeScalars.dropFirst()) }
        while let c = s.unicodeScalars.last, set.contains(c) { s = Substring(s.unicodeScalars.dropLast()) }
        return s
    }

    /// `VersionParser::normalize`, or nil where it throws.
    static func normalize(_ input: String) -> String? {
        var version = String(phpTrim(input[...]))
        if let m = try? alias.wholeMatch(in: version) { version = group(m, 1) }
        if let m = try? stabilityFlag.firstMatch(in: version) {
            version = String(version.unicodeScalars.prefix(version.unicodeScalars.count - m.output[0].substring!.unicodeScalars.count))
        }
        if ["master", "trunk", "default"].contains(version) { version = "dev-" + version }
        if version.utf8.count >= 4, version.utf8.prefix(4).map({ $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }) == Array("dev-".utf8) {
            return "dev-" + String(decoding: version.utf8.dropFirst(4), as: UTF8.self)
        }
        if let m = try? build.wholeMatch(in: version) { version = group(m, 1) }
        var matches: Regex<AnyRegexOutput>.Match?
        var index = 0
        if let m = try? classical.wholeMatch(in: version) {
            version = group(m, 1)
            for i in 2...4 { version += group(m, i).isEmpty ? ".0" : group(m, i) }
            matches = m
            index = 5
        } else if let m = try? date.wholeMatch(in: version) {
            version = String(String.UnicodeScalarView(group(m, 1).unicodeScalars.map { $0.value >= 0x30 && $0.value <= 0x39 ? $0 : "." }))
            matches = m
            index = 2
        }
        if let m = matches {
            let stability = group(m, index)
            if !stability.isEmpty {
                if stability == "stable" { return version }
                let number = group(m, index + 1)
                version += "-" + expandStability(stability) + String(number.drop { $0 == "." || $0 == "-" })
            }
            if !group(m, index + 2).isEmpty { version += "-dev" }
            return version
        }
        if let m = try? devSuffix.wholeMatch(in: version) {
            let normalized = normalizeBranch(group(m, 1))
            if !normalized.contains("dev-") { return normalized }
        }
        return nil
    }

    /// `VersionParser::normalizeBranch`.
    static func normalizeBranch(_ name: String) -> String {
        let name = String(phpTrim(name[...]))
        guard let m = try? branch.wholeMatch(in: name) else { return "dev-" + name }
        var version = ""
        for i in 1..<5 {
            let part = i < m.output.count && m.output[i].substring != nil ? group(m, i) : ".x"
            version += part.replacing("*", with: "x").replacing("X", with: "x")
        }
        return version.replacing("x", with: "9999999") + "-dev"
    }

    /// `VersionParser::expandStability`.
    static func expandStability(_ stability: String) -> String {
        switch stability.lowercased() {
        case "a": "alpha"
        case "b": "beta"
        case "p", "pl": "patch"
        case "rc": "RC"
        case let other: other
        }
    }

    /// `VersionParser::parseStability`.
    static func stability(of version: String) -> String {
        var version = version
        if let hash = version.firstIndex(of: "#"), version.index(after: hash) < version.endIndex { version = String(version[..<hash]) }
        if version.hasPrefix("dev-") || version.hasSuffix("-dev") { return "dev" }
        guard let m = try? stabilityTail.firstMatch(in: version.lowercased()) else { return "stable" }
        if !group(m, 3).isEmpty { return "dev" }
        switch group(m, 1) {
        case "beta", "b": return "beta"
        case "alpha", "a": return "alpha"
        case "rc": return "RC"
        default: return "stable"
        }
    }
}
