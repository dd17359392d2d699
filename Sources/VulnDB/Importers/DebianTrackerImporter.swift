/// Parses the Debian security tracker's JSON export
/// (`{package: {CVE: {description, releases: {codename: {status, fixed_version, urgency…}}}}}`).
///
/// Keys are visited in sorted order: the JSON object has no meaningful order and Foundation's
/// dictionaries have none, so sorting keeps batches identical from run to run.
enum DebianTrackerImporter {
    static func parse(path: String, data: [UInt8]) throws(VulnDBError) -> FeedParseResult {
        let root = try FeedJSON.object(path: path, data: data)
        var result = FeedParseResult()
        var described = Set<String>()

        for package in root.keys.sorted() {
            guard let vulnerabilities = root[package] as? [String: Any] else {
                result.skip("package value is not an object")
                continue
            }
            for id in vulnerabilities.keys.sorted() {
                guard let entry = vulnerabilities[id] as? [String: Any] else {
                    result.skip("vulnerability value is not an object")
                    continue
                }
                // One record per id, although the same CVE appears under every affected package.
                if described.insert(id).inserted {
                    let description = (entry["description"] as? String).flatMap { $0.isEmpty ? nil : $0 }
                    result.batch.vulnerabilities.append(VulnerabilityRecord(
                        id: id, description: description,
                        references: ["https://security-tracker.debian.org/tracker/\(id)"], source: "debian"))
                }
                // The tracker writes an empty `releases` as `[]`; any non-object means "no releases".
                guard let releases = entry["releases"] as? [String: Any] else { continue }
                for codename in releases.keys.sorted() {
                    guard let release = DebianReleases.release(forCodename: codename) else {
                        result.skip("unknown Debian release '\(codename)'")
                        continue
                    }
                    guard let info = releases[codename] as? [String: Any], let status = info["status"] as? String else {
                        result.skip("release entry without a status")
                        continue
                    }
                    guard let (advisoryStatus, fixedVersion) = map(status: status, info: info) else {
                        result.skip("unusable status '\(status)'")
                        continue
                    }
                    result.batch.advisories.append(AdvisoryRecord(
                        vulnerabilityID: id, ecosystem: Ecosystem(family: "debian", release: release),
                        packageName: package, status: advisoryStatus, fixedVersion: fixedVersion,
                        vendorSeverity: (info["urgency"] as? String).flatMap { $0.isEmpty ? nil : $0 },
                        source: "debian"))
                }
            }
        }
        return result
    }

    /// Tracker status → advisory status and fixed version; nil when the entry cannot be used.
    private static func map(status: String, info: [String: Any]) -> (AdvisoryStatus, String?)? {
        switch status {
        case "resolved":
            // fixed_version "0": the tracker's way of saying the release never had the bug.
            guard let fixed = info["fixed_version"] as? String, !fixed.isEmpty else { return nil }
            return fixed == "0" ? (.notAffected, nil) : (.fixed, fixed)
        case "open":
            // `nodsa` (postponed/ignored) only says no DSA will be issued; the package stays
            // vulnerable, so it is `.affected` like any open entry. The tracker marks packages
            // past their support with urgency "end-of-life".
            return (info["urgency"] as? String) == "end-of-life" ? (.endOfLife, nil) : (.affected, nil)
        case "undetermined":
            return (.affected, nil)
        default:
            return nil
        }
    }
}
