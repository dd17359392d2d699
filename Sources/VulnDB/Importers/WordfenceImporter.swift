import Foundation
import VigilCore

/// Parses the Wordfence Intelligence v2 vulnerability feed (production or scanner feed): one JSON
/// object keyed by vulnerability UUID, each with `software[]` entries of `type` (`plugin`, `theme`,
/// `core`), `slug`, `affected_versions` (ranges with `from_version`/`from_inclusive`/
/// `to_version`/`to_inclusive`, `*` meaning unbounded) and `patched_versions`, plus `title`,
/// `description`, `references`, `cwe`, `cvss` (`vector`, `score`, `rating`), `cve`, `published`.
///
/// Advisories go under family `wordfence`, release = the software type, package = the slug
/// (`wordpress` for core); the id is the CVE when there is one, else the Wordfence UUID. A range
/// with an exclusive lower bound cannot be stored (the range model starts inclusive): it is
/// skipped and counted.
enum WordfenceImporter {
    static let source = "wordfence"

    static func parse(path: String, data: [UInt8]) throws(VulnDBError) -> FeedParseResult {
        let root = try FeedJSON.object(path: path, data: data)
        var result = FeedParseResult()
        for key in root.keys.sorted() {
            guard let entry = root[key] as? [String: Any] else {
                throw VulnDBError(.malformedFeed, "\(path): entry \(key) is not an object")
            }
            guard let software = entry["software"] as? [Any] else {
                throw VulnDBError(.malformedFeed, "\(path): entry \(key) has no \"software\" list")
            }
            let uuid = entry["id"] as? String ?? key
            let cve = (entry["cve"] as? String).flatMap { $0.hasPrefix("CVE-") ? $0 : nil }
            let id = cve ?? uuid
            let cvss = entry["cvss"] as? [String: Any]
            let rating = (cvss?["rating"] as? String)?.lowercased()
            var record = CVSSRecord(source: source)
            if let vector = cvss?["vector"] as? String, vector.hasPrefix("CVSS:3") {
                record.v3Vector = vector
                record.v3Score = NVDImporter.number(cvss?["score"]) ?? CVSSScore.v3(vector)
            }
            var cwes: [String] = []
            if let cwe = entry["cwe"] as? [String: Any], let number = NVDImporter.number(cwe["id"]) { cwes.append("CWE-\(Int(number))") }
            result.batch.vulnerabilities.append(VulnerabilityRecord(
                id: id, title: entry["title"] as? String, description: entry["description"] as? String,
                cvss: record.v3Vector == nil ? [] : [record], cweIDs: cwes,
                references: (entry["references"] as? [Any] ?? []).compactMap { $0 as? String },
                aliases: cve == nil ? [] : [uuid],
                published: (entry["published"] as? String).flatMap { FeedTimestamp.normalise($0.replacingOccurrences(of: " ", with: "T") + "Z") },
                modified: (entry["updated"] as? String).flatMap { FeedTimestamp.normalise($0.replacingOccurrences(of: " ", with: "T") + "Z") },
                source: source, severity: rating))
            for (index, item) in software.enumerated() {
                guard let s = item as? [String: Any], let type = s["type"] as? String, ["plugin", "theme", "core"].contains(type) else {
                    throw VulnDBError(.malformedFeed, "\(path): entry \(key) software[\(index)] has no type plugin, theme or core")
                }
                let slug = type == "core" ? "wordpress" : (s["slug"] as? String ?? "")
                guard !slug.isEmpty else { throw VulnDBError(.malformedFeed, "\(path): entry \(key) software[\(index)] has no slug") }
                var ranges: [AffectedRange] = []
                for (label, value) in (s["affected_versions"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    guard let r = value as? [String: Any], let from = r["from_version"] as? String, let to = r["to_version"] as? String else {
                        throw VulnDBError(.malformedFeed, "\(path): entry \(key) software[\(index)] range '\(label)' lacks from_version/to_version")
                    }
                    if from != "*", r["from_inclusive"] as? Bool == false {
                        result.skip("Wordfence range with an exclusive lower bound")
                        continue
                    }
                    let introduced = from == "*" ? nil : from
                    if to == "*" {
                        ranges.append(AffectedRange(introduced: introduced, type: "WORDFENCE"))
                    } else if r["to_inclusive"] as? Bool == false {
                        ranges.append(AffectedRange(introduced: introduced, fixed: to, type: "WORDFENCE"))
                    } else {
                        ranges.append(AffectedRange(introduced: introduced, lastAffected: to, type: "WORDFENCE"))
                    }
                }
                guard !ranges.isEmpty else { continue }
                let patched = (s["patched_versions"] as? [Any] ?? []).compactMap { $0 as? String }
                result.batch.advisories.append(AdvisoryRecord(
                    vulnerabilityID: id, ecosystem: Ecosystem(family: source, release: type), packageName: slug.lowercased(),
                    status: patched.isEmpty ? .affected : .fixed, fixedVersion: patched.first, ranges: ranges,
                    vendorSeverity: rating, source: source, advisoryID: uuid))
            }
        }
        return result
    }
}
