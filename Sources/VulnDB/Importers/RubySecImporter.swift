import Versioning
import VigilCore
import Yams

/// Parses one Ruby Advisory Database file (`gems/GEM/ID.yml`): `gem`, `cve`/`ghsa`/`osvdb`
/// (ids without their prefix), `title`, `description`, `date`, `url`, `cvss_v2`/`cvss_v3`/
/// `cvss_v4` (scores), and `patched_versions`/`unaffected_versions`, lists of RubyGems
/// requirements.
///
/// The matching rule is bundler-audit's (and Trivy's): a version is affected unless it satisfies
/// a `patched_versions` or an `unaffected_versions` entry, so both lists become the record's
/// ``AdvisoryRecord/unaffectedRanges`` and the requirements are evaluated natively
/// (``RubyGemsRequirement``) at match time. The finding id is the CVE when there is one (the
/// GHSA id then becomes the advisory id), else the GHSA id, else `OSVDB-n`, else the file name:
/// the same id GitHub's record of the flaw is filed under, so the two give one finding.
/// Records use ecosystem `RubyGems` and source `ruby-advisory-db` (Trivy's id).
enum RubySecImporter {
    static let source = "ruby-advisory-db"

    static func parse(path: String, data: [UInt8]) throws(VulnDBError) -> FeedParseResult {
        guard let text = String(validating: data, as: UTF8.self) else {
            throw VulnDBError(.malformedFeed, "\(path): not valid UTF-8")
        }
        try AlpineSecdbImporter.refuseAliases(path: path, data: data, feed: "RubySec advisories")
        let root = try AlpineSecdbImporter.compose(path: path, text: text)
        guard let root, case .mapping = root else {
            throw VulnDBError(.malformedFeed, "\(path)\(AlpineSecdbImporter.lineSuffix(root)): expected a mapping with gem, title and patched_versions")
        }
        guard let gem = string(root["gem"]), !gem.isEmpty else {
            throw VulnDBError(.malformedFeed, "\(path)\(AlpineSecdbImporter.lineSuffix(root)): RubySec advisory without a `gem` name")
        }
        var unaffected: [String] = []
        for key in ["patched_versions", "unaffected_versions"] {
            unaffected += try requirements(root[key], key: key, path: path)
        }

        let cve = string(root["cve"]).map { "CVE-" + $0 }
        let ghsa = string(root["ghsa"]).map { "GHSA-" + $0 }
        let osvdb = string(root["osvdb"]).map { "OSVDB-" + $0 }
        let stem = String((path.split(separator: "/").last ?? "").split(separator: ".").first ?? "")
        let own = ghsa ?? osvdb ?? cve ?? stem
        var others = [cve, ghsa, osvdb].compactMap { $0 }
        others.removeAll { $0 == own }
        // `related` ids name the same flaw elsewhere; they become aliases, never finding ids.
        var related: [String] = []
        if let node = root["related"], case .mapping = node {
            for (key, prefix) in [("cve", "CVE-"), ("ghsa", "GHSA-")] {
                guard let list = node[key], case let .sequence(items) = list else { continue }
                for id in items.compactMap(string) { FeedText.appendUnique(id.hasPrefix(prefix) ? id : prefix + id, to: &related) }
            }
        }
        let ids = PreferredIDs(own: own, others: others)

        let v3 = double(root["cvss_v3"])
        let v2 = double(root["cvss_v2"])
        let v4 = double(root["cvss_v4"])
        let cvss = v2 == nil && v3 == nil && v4 == nil ? [] : [CVSSRecord(source: source, v2Score: v2, v3Score: v3, v40Score: v4)]
        let severity = (v4 ?? v3 ?? v2).map(severityWord)
        var references: [String] = []
        if let url = string(root["url"]), !url.isEmpty { references.append(url) }

        var result = FeedParseResult()
        let name = PackageNames.normalized(gem, ecosystem: "RubyGems")
        for id in ids.vulnerabilityIDs {
            result.batch.advisories.append(AdvisoryRecord(
                vulnerabilityID: id, ecosystem: Ecosystem(family: "RubyGems", release: ""), packageName: name,
                status: unaffected.isEmpty ? .affected : .fixed, vendorSeverity: severity, source: source,
                advisoryID: ids.advisoryID, unaffectedRanges: unaffected))
            result.batch.vulnerabilities.append(VulnerabilityRecord(
                id: id, title: string(root["title"]), description: string(root["description"]).map(trimmed), cvss: cvss,
                references: references, aliases: ids.aliases(of: id) + related.filter { $0 != id && !ids.aliases.contains($0) },
                published: string(root["date"]).flatMap(FeedTimestamp.normalise), source: source, severity: severity))
        }
        return result
    }

    /// A list of requirement strings, each checked with ``RubyGemsRequirement``: one that does
    /// not parse is an error naming its line (a dropped `patched_versions` entry would turn a
    /// fixed version into a false finding).
    static func requirements(_ node: Node?, key: String, path: String) throws(VulnDBError) -> [String] {
        guard let node, !AlpineSecdbImporter.isNull(node) else { return [] }
        guard case let .sequence(items) = node else {
            throw VulnDBError(.malformedFeed, "\(path)\(AlpineSecdbImporter.lineSuffix(node)): \(key) is not a list")
        }
        var out: [String] = []
        for item in items {
            guard let text = item.scalar?.string, !text.isEmpty else {
                throw VulnDBError(.malformedFeed, "\(path)\(AlpineSecdbImporter.lineSuffix(item)): \(key) entry is not a requirement string")
            }
            do {
                _ = try RubyGemsRequirement(text)
            } catch {
                throw VulnDBError(.malformedFeed, "\(path)\(AlpineSecdbImporter.lineSuffix(item)): \(key): \(error)")
            }
            out.append(text)
        }
        return out
    }

    static func string(_ node: Node?) -> String? {
        guard let node, !AlpineSecdbImporter.isNull(node), let text = node.scalar?.string else { return nil }
        return text
    }

    static func double(_ node: Node?) -> Double? { string(node).flatMap(Double.init) }

    static func trimmed(_ text: String) -> String {
        var s = Substring(text)
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }

    /// CVSS's qualitative rating of a base score (v2 scores use the same bands, as Trivy does).
    static func severityWord(_ score: Double) -> String {
        switch score {
        case 9...: "CRITICAL"
        case 7..<9: "HIGH"
        case 4..<7: "MEDIUM"
        case let s where s > 0: "LOW"
        default: "NONE"
        }
    }
}
