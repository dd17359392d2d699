import TOML
import VigilCore

/// Parses RustSec advisory-db Markdown advisories: a ```` ```toml ```` front-matter block
/// (`[advisory]` id, package, aliases, cvss…; `[versions]` patched/unaffected requirements),
/// then `# Title` and the description.
///
/// Cargo requirements describe the versions that are *not* affected; the affected OSV ranges
/// are their complement, computed the way RustSec's own OSV export does: every requirement
/// becomes one interval, the intervals are sorted, and the gaps between them are the affected
/// ranges. An exclusive bound becomes the next semver version (`1.2.3` → `1.2.4-0`).
/// Records use ecosystem `crates.io` and source `osv-crates.io`, so the same advisory imported
/// from OSV JSON merges with this one. Informational advisories (`unmaintained`, `notice`) and
/// withdrawn ones are skipped and counted.
enum RustSecImporter {
    static let source = "osv-crates.io"

    static func parse(path: String, data: [UInt8]) throws(VulnDBError) -> FeedParseResult {
        // Split into lines, remembering where the TOML block is.
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        while start <= data.count {
            let end = FeedBytes.index(of: 0x0A, in: data, from: start) ?? data.count
            var stop = end
            if stop > start, data[stop - 1] == 0x0D { stop -= 1 }
            lines.append(data[start..<stop])
            start = end + 1
        }
        var first = 0
        while first < lines.count, lines[first].allSatisfy(FeedBytes.isSpace) { first += 1 }
        guard first < lines.count, String(decoding: lines[first], as: UTF8.self).trimmingBlanks() == "```toml" else {
            throw VulnDBError(.malformedFeed, "\(path):\(first + 1): RustSec advisory must start with a ```toml block")
        }
        guard let close = lines[(first + 1)...].firstIndex(where: { String(decoding: $0, as: UTF8.self).trimmingBlanks() == "```" }) else {
            throw VulnDBError(.malformedFeed, "\(path):\(first + 1): unterminated ```toml block")
        }
        let tomlBytes = Array(lines[(first + 1)..<close].joined(separator: [0x0A]))
        let toml: [String: TOMLSubset.Value]
        do {
            toml = try TOMLSubset.parse(tomlBytes, firstLine: first + 2)
        } catch {
            throw VulnDBError(.malformedFeed, "\(path):\(error.line): invalid TOML: \(error.message)")
        }
        guard let advisory = toml["advisory"]?.table, let id = advisory["id"]?.string, !id.isEmpty,
              let package = advisory["package"]?.string, !package.isEmpty else {
            throw VulnDBError(.malformedFeed, "\(path): [advisory] needs string `id` and `package`")
        }

        var result = FeedParseResult()
        if advisory["withdrawn"] != nil {
            result.skip("withdrawn RustSec advisory")
            return result
        }
        if advisory["informational"] != nil {
            result.skip("informational RustSec advisory")
            return result
        }
        let versions = toml["versions"]?.table ?? [:]
        let ranges: [AffectedRange]
        do {
            ranges = try affectedRanges(patched: versions["patched"]?.strings ?? [], unaffected: versions["unaffected"]?.strings ?? [])
        } catch {
            throw VulnDBError(.malformedFeed, "\(path): \(id): \(error.message)")
        }
        let fixed = ranges.compactMap(\.fixed).last
        // Markdown body: `# Title`, then the description.
        var title: String?
        var body: [String] = []
        for line in lines[(close + 1)...] {
            let text = String(decoding: line, as: UTF8.self)
            if title == nil, text.hasPrefix("# ") {
                title = String(text.dropFirst(2)).trimmingBlanks()
            } else if title != nil {
                body.append(text)
            }
        }
        while body.first?.trimmingBlanks().isEmpty == true { body.removeFirst() }
        while body.last?.trimmingBlanks().isEmpty == true { body.removeLast() }

        var aliases: [String] = []
        for alias in (advisory["aliases"]?.strings ?? []) + (advisory["related"]?.strings ?? []) { FeedText.appendUnique(alias, to: &aliases) }
        var references: [String] = []
        if let url = advisory["url"]?.string { references.append(url) }
        for r in advisory["references"]?.strings ?? [] { FeedText.appendUnique(r, to: &references) }
        references.append("https://rustsec.org/advisories/\(id).html")
        var cvss: [CVSSRecord] = []
        if let vector = advisory["cvss"]?.string, vector.hasPrefix("CVSS:3.") {
            cvss = [CVSSRecord(source: source, v3Vector: vector, v3Score: CVSSScore.v3(vector))]
        } else if let vector = advisory["cvss"]?.string, vector.hasPrefix("CVSS:4.") {
            cvss = [CVSSRecord(source: source, v40Vector: vector)]
        }
        // Filed under its CVEs when it names any (the OSV export of the same advisory is too).
        let ids = PreferredIDs(own: id, others: advisory["aliases"]?.strings ?? [])
        for vulnerabilityID in ids.vulnerabilityIDs {
            result.batch.advisories.append(AdvisoryRecord(
                vulnerabilityID: vulnerabilityID, ecosystem: Ecosystem(family: "crates.io", release: ""),
                packageName: PackageNames.normalized(package, ecosystem: "crates.io"),
                status: fixed == nil ? .affected : .fixed, fixedVersion: fixed, ranges: ranges, source: source,
                advisoryID: ids.advisoryID))
            var recordAliases = ids.aliases(of: vulnerabilityID)
            for alias in aliases where alias != vulnerabilityID { FeedText.appendUnique(alias, to: &recordAliases) }
            result.batch.vulnerabilities.append(VulnerabilityRecord(
                id: vulnerabilityID, title: title, description: body.isEmpty ? nil : body.joined(separator: "\n"), cvss: cvss,
                references: references, aliases: recordAliases,
                published: advisory["date"]?.string.flatMap(FeedTimestamp.normalise), source: source))
        }
        return result
    }

    // MARK: - Cargo requirements → OSV ranges

    struct RangeError: Error { var message: String }

    /// A semver version with its pre-release identifiers (build metadata is dropped).
    struct SemVer: Comparable, CustomStringConvertible {
        var major: Int, minor: Int, patch: Int
        var pre: [String]

        static func parse(_ text: Substring) -> (SemVer, minor: Bool, patch: Bool)? {
            var core = text.split(separator: "+", maxSplits: 1).first ?? ""
            var pre: [String] = []
            if let dash = core.firstIndex(of: "-") {
                pre = core[core.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                guard !pre.contains(where: \.isEmpty) else { return nil }
                core = core[..<dash]
            }
            let numbers = core.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...3).contains(numbers.count) else { return nil }
            var values: [Int] = []
            for n in numbers {
                guard !n.isEmpty, n.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(n) else { return nil }
                values.append(v)
            }
            while values.count < 3 { values.append(0) }
            return (SemVer(major: values[0], minor: values[1], patch: values[2], pre: pre), numbers.count >= 2, numbers.count == 3)
        }

        static func < (a: SemVer, b: SemVer) -> Bool {
            if (a.major, a.minor, a.patch) != (b.major, b.minor, b.patch) { return (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch) }
            if a.pre.isEmpty != b.pre.isEmpty { return !a.pre.isEmpty }
            for (x, y) in zip(a.pre, b.pre) where x != y {
                switch (Int(x), Int(y)) {
                case let (p?, q?): return p < q
                case (_?, nil): return true
                case (nil, _?): return false
                default: return x < y
                }
            }
            return a.pre.count < b.pre.count
        }

        /// The lowest version above this one: `1.2.3` → `1.2.4-0`, `1.2.3-rc1` → `1.2.3-rc1.0`.
        var successor: SemVer {
            pre.isEmpty ? SemVer(major: major, minor: minor, patch: patch + 1, pre: ["0"])
                : SemVer(major: major, minor: minor, patch: patch, pre: pre + ["0"])
        }

        var description: String { "\(major).\(minor).\(patch)" + (pre.isEmpty ? "" : "-" + pre.joined(separator: ".")) }
    }

    enum Bound: Equatable {
        case unbounded, inclusive(SemVer), exclusive(SemVer)
        var version: SemVer? {
            switch self {
            case .unbounded: nil
            case .inclusive(let v), .exclusive(let v): v
            }
        }
    }

    /// One requirement (`>= 1.8.4, < 1.9.0`, `^0.3.4`, `0.13.10`, `=0.2.0`) as an interval.
    static func interval(_ requirement: String) throws(RangeError) -> (Bound, Bound) {
        let comparators = requirement.split(separator: ",").map { Substring($0.description.trimmingBlanks()) }
        guard !comparators.isEmpty, comparators.count <= 2 else { throw RangeError(message: "unsupported requirement '\(requirement)'") }
        var lower = Bound.unbounded, upper = Bound.unbounded
        for comparator in comparators {
            var op = ""
            var rest = comparator
            for candidate in [">=", "<=", ">", "<", "=", "^", "~"] where rest.hasPrefix(candidate) {
                op = candidate
                rest = rest.dropFirst(candidate.count)
                break
            }
            rest = Substring(String(rest).trimmingBlanks())
            guard let (v, hasMinor, hasPatch) = SemVer.parse(rest) else {
                throw RangeError(message: "invalid version '\(rest)' in requirement '\(requirement)'")
            }
            func setLower(_ b: Bound) throws(RangeError) {
                guard lower == .unbounded else { throw RangeError(message: "two lower bounds in '\(requirement)'") }
                lower = b
            }
            func setUpper(_ b: Bound) throws(RangeError) {
                guard upper == .unbounded else { throw RangeError(message: "two upper bounds in '\(requirement)'") }
                upper = b
            }
            switch op {
            case ">=": try setLower(.inclusive(v))
            case ">": try setLower(.exclusive(v))
            case "<": try setUpper(.exclusive(v))
            case "<=": try setUpper(.inclusive(v))
            case "=":
                guard comparators.count == 1 else { throw RangeError(message: "'=' must stand alone in '\(requirement)'") }
                lower = .inclusive(v)
                upper = .inclusive(v)
            default: // `^`, `~` or none (Cargo reads a bare version as `^`).
                guard comparators.count == 1 else { throw RangeError(message: "'\(op)' must stand alone in '\(requirement)'") }
                var end: SemVer
                if op == "~" {
                    end = hasMinor ? SemVer(major: v.major, minor: v.minor + 1, patch: 0, pre: []) : SemVer(major: v.major + 1, minor: 0, patch: 0, pre: [])
                } else if v.major > 0 || !hasMinor {
                    end = SemVer(major: v.major + 1, minor: 0, patch: 0, pre: [])
                } else if v.minor > 0 || !hasPatch {
                    end = SemVer(major: 0, minor: v.minor + 1, patch: 0, pre: [])
                } else {
                    end = SemVer(major: 0, minor: 0, patch: v.patch + 1, pre: [])
                }
                end.pre = ["0"]
                lower = .inclusive(v)
                upper = .exclusive(end)
            }
        }
        return (lower, upper)
    }

    /// The complement of all patched and unaffected intervals.
    static func affectedRanges(patched: [String], unaffected: [String]) throws(RangeError) -> [AffectedRange] {
        var safe: [(Bound, Bound)] = []
        for r in unaffected + patched { safe.append(try interval(r)) }
        if safe.isEmpty { return [AffectedRange()] }
        safe.sort { a, b in
            switch (a.0.version, b.0.version) {
            case (nil, _): return true
            case (_, nil): return false
            case let (x?, y?): return x < y
            }
        }
        var result: [AffectedRange] = []
        switch safe[0].0 {
        case .unbounded: break
        case .inclusive(let v): result.append(AffectedRange(fixed: v.description))
        case .exclusive(let v): result.append(AffectedRange(fixed: v.successor.description))
        }
        for k in 1..<safe.count {
            let introduced: SemVer
            switch safe[k - 1].1 {
            case .unbounded: throw RangeError(message: "overlapping version ranges")
            case .exclusive(let v): introduced = v
            case .inclusive(let v): introduced = v.successor
            }
            let fixed: SemVer
            switch safe[k].0 {
            case .unbounded: throw RangeError(message: "overlapping version ranges")
            case .inclusive(let v): fixed = v
            case .exclusive(let v): fixed = v.successor
            }
            guard introduced < fixed else {
                if introduced == fixed { continue }
                throw RangeError(message: "overlapping version ranges")
            }
            result.append(AffectedRange(introduced: introduced.description, fixed: fixed.description))
        }
        switch safe[safe.count - 1].1 {
        case .unbounded: break
        case .exclusive(let v): result.append(AffectedRange(introduced: v.description))
        case .inclusive(let v): result.append(AffectedRange(introduced: v.successor.description))
        }
        return result
    }
}
