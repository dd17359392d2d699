import Foundation
import VigilCore

/// Parses NVD API 2.0 responses (`{"resultsPerPage":…, "format":"NVD_CVE", "vulnerabilities":[{"cve":{…}}]}`)
/// into enrichment records (source `nvd`) and CPE match criteria.
///
/// Per CVE: the English description, CVSS v2/v3.x/v4.0 (NVD's own `Primary` metric preferred,
/// else the first), CWE ids (`NVD-CWE-Other`/`NVD-CWE-noinfo` dropped), published/last-modified
/// dates, references, the severity word (v3 `baseSeverity`, else v4, else v2), and every
/// vulnerable `cpeMatch` of its configurations. Rejected CVEs are skipped.
enum NVDImporter {
    static let source = "nvd"

    /// Files above this size are parsed one CVE at a time (``JSONArrayItems``).
    static let itemwiseThreshold = 4 << 20

    static func parse(path: String, data: [UInt8], itemwiseAbove threshold: Int = itemwiseThreshold) throws(VulnDBError) -> FeedParseResult {
        // A yearly feed is parsed CVE by CVE: Foundation's tree of a whole 40,000-CVE file
        // would take several times the file's size.
        let members = data.count > threshold ? JSONArrayItems.elements(ofKey: "vulnerabilities", in: data) : nil
        var items: [Any] = []
        if members == nil {
            let root = try FeedJSON.object(path: path, data: data)
            // A single record file holds the `cve` object itself.
            if root["vulnerabilities"] == nil, root["sourceIdentifier"] != nil, root["id"] is String {
                items = [["cve": root]]
            } else if let list = root["vulnerabilities"] as? [Any] {
                items = list
            } else {
                throw VulnDBError(.malformedFeed, "\(path): NVD API response without a \"vulnerabilities\" list")
            }
        }
        var result = FeedParseResult()
        for index in 0..<(members?.count ?? items.count) {
            let item: Any
            if let members {
                guard let parsed = try? FeedJSON.value(path: path, data: Array(data[members[index]])) else {
                    // The whole file's parse names the line of the problem.
                    _ = try FeedJSON.value(path: path, data: data)
                    throw VulnDBError(.malformedFeed, "\(path): vulnerabilities[\(index)] is not valid JSON")
                }
                item = parsed
            } else {
                item = items[index]
            }
            guard let cve = (item as? [String: Any])?["cve"] as? [String: Any],
                  let id = cve["id"] as? String, !id.isEmpty else {
                throw VulnDBError(.malformedFeed, "\(path): vulnerabilities[\(index)] has no cve.id")
            }
            if let status = cve["vulnStatus"] as? String, status == "Rejected" {
                result.skip("rejected CVE")
                continue
            }
            let (cvss, severity) = metrics(cve["metrics"] as? [String: Any] ?? [:])
            var cwes: [String] = []
            for weakness in cve["weaknesses"] as? [Any] ?? [] {
                for d in (weakness as? [String: Any])?["description"] as? [Any] ?? [] {
                    if let value = (d as? [String: Any])?["value"] as? String, value.hasPrefix("CWE-") {
                        FeedText.appendUnique(value, to: &cwes)
                    }
                }
            }
            var references: [String] = []
            for r in cve["references"] as? [Any] ?? [] {
                if let url = (r as? [String: Any])?["url"] as? String, !url.isEmpty { FeedText.appendUnique(url, to: &references) }
            }
            result.batch.vulnerabilities.append(VulnerabilityRecord(
                id: id, description: englishText(cve["descriptions"]), cvss: cvss.isEmpty ? [] : [cvss],
                cweIDs: cwes, references: references,
                published: (cve["published"] as? String).flatMap(FeedTimestamp.normalise),
                modified: (cve["lastModified"] as? String).flatMap(FeedTimestamp.normalise),
                source: source, severity: severity))
            result.batch.cpeMatches += cpeMatches(cve["configurations"], vulnerabilityID: id, result: &result)
            // The whole configurations array is kept (AND nodes, platforms, negation) so matching
            // can evaluate it as NVD defines it; the flat criteria above only index it.
            if let configurations = cve["configurations"] as? [Any], !configurations.isEmpty,
               let json = try? JSONSerialization.data(withJSONObject: configurations, options: [.sortedKeys]) {
                result.batch.nvdConfigurations[id] = String(decoding: json, as: UTF8.self)
            }
        }
        return result
    }

    /// The `value` of the first `lang: en` entry (NVD writes `en`; CVE 5 also `en-US`).
    static func englishText(_ value: Any?, key: String = "value") -> String? {
        let entries = (value as? [Any] ?? []).compactMap { $0 as? [String: Any] }
        let english = entries.first { ($0["lang"] as? String)?.lowercased().hasPrefix("en") == true } ?? entries.first
        guard let text = english?[key] as? String, !text.isEmpty else { return nil }
        return text
    }

    /// NVD's own CVSS data and severity word.
    static func metrics(_ metrics: [String: Any]) -> (CVSSRecord, String?) {
        func pick(_ key: String) -> [String: Any]? {
            let list = (metrics[key] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
            return list.first { $0["type"] as? String == "Primary" } ?? list.first
        }
        var record = CVSSRecord(source: source)
        var v3Severity: String?, v2Severity: String?, v4Severity: String?
        if let m = pick("cvssMetricV31") ?? pick("cvssMetricV30"), let data = m["cvssData"] as? [String: Any],
           let vector = data["vectorString"] as? String {
            record.v3Vector = vector
            record.v3Score = number(data["baseScore"]) ?? CVSSScore.v3(vector)
            v3Severity = data["baseSeverity"] as? String
        }
        if let m = pick("cvssMetricV2"), let data = m["cvssData"] as? [String: Any], let vector = data["vectorString"] as? String {
            record.v2Vector = vector
            record.v2Score = number(data["baseScore"]) ?? CVSSScore.v2(vector)
            v2Severity = (m["baseSeverity"] as? String) ?? (data["baseSeverity"] as? String)
        }
        if let m = pick("cvssMetricV40"), let data = m["cvssData"] as? [String: Any], let vector = data["vectorString"] as? String {
            record.v40Vector = vector
            record.v40Score = number(data["baseScore"])
            v4Severity = data["baseSeverity"] as? String
        }
        return (record, v3Severity ?? v4Severity ?? v2Severity)
    }

    static func number(_ value: Any?) -> Double? {
        if let n = value as? NSNumber { return n.doubleValue }
        if let s = value as? String { return Double(s) }
        return nil
    }

    /// Vulnerable criteria of every configuration; a criterion in an `AND` configuration is
    /// marked as needing another product. Criteria that are not CPE 2.3 names are skipped.
    static func cpeMatches(_ value: Any?, vulnerabilityID: String, result: inout FeedParseResult) -> [CPEMatchRecord] {
        var matches: [CPEMatchRecord] = []
        for configuration in (value as? [Any] ?? []).compactMap({ $0 as? [String: Any] }) {
            let nodes = (configuration["nodes"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
            let conjunctive = (configuration["operator"] as? String)?.uppercased() == "AND" && nodes.count > 1
            for node in nodes {
                if node["negate"] as? Bool == true { continue }
                for item in (node["cpeMatch"] as? [Any] ?? []).compactMap({ $0 as? [String: Any] }) {
                    guard item["vulnerable"] as? Bool == true else { continue }
                    guard let criteria = item["criteria"] as? String, let name = CPEName(criteria) else {
                        result.skip("cpeMatch without a CPE 2.3 criteria")
                        continue
                    }
                    func bound(_ key: String) -> String? {
                        guard let text = item[key] as? String, !text.isEmpty else { return nil }
                        return text
                    }
                    matches.append(CPEMatchRecord(
                        vulnerabilityID: vulnerabilityID, part: name.part, vendor: name.vendor.lowercased(),
                        product: name.product.lowercased(), version: name.version, update: name.update,
                        versionStartIncluding: bound("versionStartIncluding"), versionStartExcluding: bound("versionStartExcluding"),
                        versionEndIncluding: bound("versionEndIncluding"), versionEndExcluding: bound("versionEndExcluding"),
                        requiresOtherProduct: conjunctive, criteria: criteria))
                }
            }
        }
        return matches
    }
}
