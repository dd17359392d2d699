import Foundation
import Versioning
import VigilCore

/// Parses one Node.js Security Working Group ecosystem advisory (`vuln/npm/N.json`, the old
/// nodesecurity/npm advisory shape): `id`, `module_name`, `cves`, `vulnerable_versions` and
/// `patched_versions` (node-semver ranges), `title`, `overview`, `recommendation`, `references`,
/// `cvss_vector`, `cvss_score`, `publish_date`.
///
/// A version is affected when it satisfies `vulnerable_versions` and not `patched_versions`
/// (evaluated natively with ``NpmRange``). One advisory per CVE it lists, with `NSWG-ECO-N` as
/// the advisory id; `NSWG-ECO-N` itself when it lists none (Trivy's node source does the same).
/// Records use ecosystem `npm` and source `nodejs-security-wg`. The runtime records in
/// `vuln/core` describe Node.js itself, not an npm package, and are not this format.
enum NodeSecurityWGImporter {
    static let source = "nodejs-security-wg"

    static func parse(path: String, data: [UInt8]) throws(VulnDBError) -> FeedParseResult {
        let root = try FeedJSON.object(path: path, data: data)
        let number: String
        switch root["id"] {
        case let n as Int: number = String(n)
        case let s as String where !s.isEmpty: number = s
        default: throw VulnDBError(.malformedFeed, "\(path): Node.js security WG advisory without a numeric \"id\"")
        }
        guard let module = root["module_name"] as? String, !module.isEmpty else {
            throw VulnDBError(.malformedFeed, "\(path): NSWG-ECO-\(number): \"module_name\" is not a package name")
        }
        let vulnerable = try range(root["vulnerable_versions"], key: "vulnerable_versions", id: number, path: path)
        let patched = try range(root["patched_versions"], key: "patched_versions", id: number, path: path)
        var result = FeedParseResult()
        guard vulnerable != nil || patched != nil else {
            result.skip("Node.js security WG advisory without vulnerable_versions or patched_versions")
            return result
        }
        let own = "NSWG-ECO-\(number)"
        let ids = PreferredIDs(own: own, others: FeedJSON.strings(root["cves"]))

        var cvss: [CVSSRecord] = []
        let score = (root["cvss_score"] as? NSNumber)?.doubleValue
        if let vector = root["cvss_vector"] as? String, vector.hasPrefix("CVSS:3.") {
            cvss = [CVSSRecord(source: source, v3Vector: vector, v3Score: CVSSScore.v3(vector) ?? score)]
        } else if let vector = root["cvss_vector"] as? String, vector.hasPrefix("AV:") {
            cvss = [CVSSRecord(source: source, v2Vector: vector, v2Score: CVSSScore.v2(vector) ?? score)]
        }
        let severity = (cvss.first?.v3Score ?? cvss.first?.v2Score ?? score).map(RubySecImporter.severityWord)
        var description = (root["overview"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        if let recommendation = root["recommendation"] as? String, !recommendation.isEmpty {
            description = (description.map { $0 + "\n\n" } ?? "") + "## Recommendation\n\n" + recommendation
        }
        let references = FeedJSON.strings(root["references"]).filter { !$0.isEmpty }
        // The epoch placeholder some records carry is not a publication date.
        let published = (root["publish_date"] as? String).flatMap { $0.hasPrefix("1970-01-01") ? nil : FeedTimestamp.normalise($0) }
        let modified = (root["updated_at"] as? String).flatMap(FeedTimestamp.normalise)
        for id in ids.vulnerabilityIDs {
            result.batch.advisories.append(AdvisoryRecord(
                vulnerabilityID: id, ecosystem: Ecosystem(family: "npm", release: ""),
                packageName: PackageNames.normalized(module, ecosystem: "npm"),
                status: patched == nil ? .affected : .fixed, vendorSeverity: severity, source: source,
                advisoryID: ids.advisoryID ?? (id == own ? nil : own),
                vulnerableRanges: vulnerable.map { [$0] } ?? [], unaffectedRanges: patched.map { [$0] } ?? []))
            result.batch.vulnerabilities.append(VulnerabilityRecord(
                id: id, title: (root["title"] as? String).flatMap { $0.isEmpty ? nil : $0 }, description: description,
                cvss: cvss, references: references, aliases: ids.aliases(of: id),
                published: published, modified: modified, source: source, severity: severity))
        }
        return result
    }

    /// A node-semver range string checked with ``NpmRange``; nil when absent or null.
    private static func range(_ value: Any?, key: String, id: String, path: String) throws(VulnDBError) -> String? {
        switch value {
        case nil, is NSNull: return nil
        case let text as String:
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            do {
                _ = try NpmRange(trimmed)
            } catch {
                throw VulnDBError(.malformedFeed, "\(path): NSWG-ECO-\(id): \(key): \(error)")
            }
            return trimmed
        default:
            throw VulnDBError(.malformedFeed, "\(path): NSWG-ECO-\(id): \(key) is not a range string")
        }
    }
}
