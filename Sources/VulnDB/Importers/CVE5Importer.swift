import VigilCore
/// Parses one CVE JSON 5.x record (`{"dataType":"CVE_RECORD","cveMetadata":{…},"containers":{"cna":{…},"adp":[…]}}`),
/// the format of the CVE List (cvelistV5), into an enrichment record with source `cve`.
///
/// Description and CWE ids come from the CNA container (ADP containers fill what it lacks);
/// CVSS from `metrics[].cvssV2_0/cvssV3_0/cvssV3_1/cvssV4_0` of the CNA, then the ADPs (CISA's
/// "vulnrichment" ADP adds CVSS to many records). Dates are `cveMetadata.datePublished` and
/// `dateUpdated`. Rejected records are skipped.
enum CVE5Importer {
    static let source = "cve"

    static func parse(path: String, data: [UInt8]) throws(VulnDBError) -> FeedParseResult {
        let root = try FeedJSON.object(path: path, data: data)
        guard let meta = root["cveMetadata"] as? [String: Any], let id = meta["cveId"] as? String, !id.isEmpty else {
            throw VulnDBError(.malformedFeed, "\(path): CVE record without cveMetadata.cveId")
        }
        var result = FeedParseResult()
        if (meta["state"] as? String)?.uppercased() == "REJECTED" {
            result.skip("rejected CVE")
            return result
        }
        guard let containers = root["containers"] as? [String: Any], let cna = containers["cna"] as? [String: Any] else {
            throw VulnDBError(.malformedFeed, "\(path): \(id): no containers.cna")
        }
        let adps = (containers["adp"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
        let all = [cna] + adps

        var description: String?
        var cwes: [String] = []
        var references: [String] = []
        var cvss = CVSSRecord(source: source)
        var severity: String?
        for container in all {
            if description == nil { description = NVDImporter.englishText(container["descriptions"]) }
            for problem in (container["problemTypes"] as? [Any] ?? []).compactMap({ $0 as? [String: Any] }) {
                for d in (problem["descriptions"] as? [Any] ?? []).compactMap({ $0 as? [String: Any] }) {
                    if let cwe = d["cweId"] as? String, cwe.hasPrefix("CWE-") { FeedText.appendUnique(cwe, to: &cwes) }
                }
            }
            for r in (container["references"] as? [Any] ?? []).compactMap({ $0 as? [String: Any] }) {
                if let url = r["url"] as? String, !url.isEmpty { FeedText.appendUnique(url, to: &references) }
            }
            for metric in (container["metrics"] as? [Any] ?? []).compactMap({ $0 as? [String: Any] }) {
                for key in ["cvssV3_1", "cvssV3_0"] {
                    if cvss.v3Vector == nil, let m = metric[key] as? [String: Any], let vector = m["vectorString"] as? String {
                        cvss.v3Vector = vector
                        cvss.v3Score = NVDImporter.number(m["baseScore"]) ?? CVSSScore.v3(vector)
                        severity = severity ?? (m["baseSeverity"] as? String)
                    }
                }
                if cvss.v40Vector == nil, let m = metric["cvssV4_0"] as? [String: Any], let vector = m["vectorString"] as? String {
                    cvss.v40Vector = vector
                    cvss.v40Score = NVDImporter.number(m["baseScore"])
                    severity = severity ?? (m["baseSeverity"] as? String)
                }
                if cvss.v2Vector == nil, let m = metric["cvssV2_0"] as? [String: Any], let vector = m["vectorString"] as? String {
                    cvss.v2Vector = vector
                    cvss.v2Score = NVDImporter.number(m["baseScore"]) ?? CVSSScore.v2(vector)
                }
            }
        }
        result.batch.vulnerabilities.append(VulnerabilityRecord(
            id: id, title: (cna["title"] as? String).flatMap { $0.isEmpty ? nil : $0 }, description: description,
            cvss: cvss.isEmpty ? [] : [cvss], cweIDs: cwes, references: references,
            published: (meta["datePublished"] as? String).flatMap(FeedTimestamp.normalise),
            modified: (meta["dateUpdated"] as? String).flatMap(FeedTimestamp.normalise),
            source: source, severity: severity))
        return result
    }
}
