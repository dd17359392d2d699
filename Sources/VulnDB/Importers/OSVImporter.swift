import Foundation
import VigilCore

/// Parses one OSV record (schema 1.x): language ecosystems (PyPI, Go, crates.io…), Ubuntu's
/// `CVE-…`/`UBUNTU-CVE-…`/`USN-…` exports, and distro ecosystems such as `Debian:8`.
///
/// Structure the record depends on (an object with a string `id`, `affected` a list) is checked
/// and reported as `.malformedFeed`; anything optional that has the wrong type is ignored, and an
/// `affected` entry without a usable package is skipped and counted.
enum OSVImporter {
    static func parse(path: String, data: [UInt8]) throws(VulnDBError) -> FeedParseResult {
        let root = try FeedJSON.object(path: path, data: data)
        guard let id = root["id"] as? String, !id.isEmpty else {
            throw VulnDBError(.malformedFeed, "\(path): OSV record without a string \"id\"")
        }
        let affected: [Any]
        switch root["affected"] {
        case nil, is NSNull: affected = []
        case let list as [Any]: affected = list
        default: throw VulnDBError(.malformedFeed, "\(path): \(id): \"affected\" is not a list")
        }

        var result = FeedParseResult()
        // A withdrawn record was published in error; importing it would only produce false positives.
        if let withdrawn = root["withdrawn"] as? String, !withdrawn.isEmpty {
            result.skip("withdrawn OSV record")
            return result
        }

        let identity = Identity(id: id, root: root)
        let recordSeverity = recordLevelSeverity(root)
        var recordSource: String?

        for item in affected {
            guard let entry = item as? [String: Any], let package = entry["package"] as? [String: Any],
                  let ecosystemName = package["ecosystem"] as? String, !ecosystemName.isEmpty,
                  let publishedName = package["name"] as? String, !publishedName.isEmpty
            else {
                result.skip("affected entry without package ecosystem and name")
                continue
            }
            let ecosystem = mapEcosystem(ecosystemName)
            let name = PackageNames.normalized(publishedName, ecosystem: ecosystem.family)
            let source = sourceID(ecosystemName: ecosystemName, ecosystem: ecosystem)
            if recordSource == nil { recordSource = source }

            var (ranges, lastFixed, hadGit) = versionRanges(entry["ranges"], ecosystem: ecosystemName)
            let versions = FeedJSON.strings(entry["versions"])
            if ranges.isEmpty {
                // Only GIT ranges or nothing: without version ranges an empty `ranges` would mean
                // "every version", so listed versions become exact one-version ranges instead.
                let exact = versions.filter { $0 != "0" && !$0.isEmpty }
                guard !exact.isEmpty else {
                    if hadGit {
                        result.skip("affected entry with only GIT ranges (commits, not versions)")
                        result.gitOnlyAdvisories.append("\(id) \(ecosystemName)/\(name)")
                    } else {
                        result.skip("affected entry without ECOSYSTEM/SEMVER ranges or versions")
                    }
                    continue
                }
                ranges = exact.map { AffectedRange(introduced: $0, lastAffected: $0) }
                lastFixed = nil
            }
            let severity = ((entry["ecosystem_specific"] as? [String: Any])?["ubuntu_priority"] as? String)
                ?? ((entry["database_specific"] as? [String: Any])?["severity"] as? String)
                ?? recordSeverity

            for vulnerabilityID in identity.advisoryVulnerabilityIDs {
                result.batch.advisories.append(AdvisoryRecord(
                    vulnerabilityID: vulnerabilityID, ecosystem: ecosystem, packageName: name,
                    status: lastFixed == nil ? .affected : .fixed, fixedVersion: lastFixed,
                    ranges: ranges, affectedVersions: versions, vendorSeverity: severity,
                    source: source, advisoryID: identity.advisoryID))
            }
        }

        let source = recordSource ?? "osv"
        var references: [String] = []
        for item in root["references"] as? [Any] ?? [] {
            if let url = (item as? [String: Any])?["url"] as? String, !url.isEmpty {
                FeedText.appendUnique(url, to: &references)
            }
        }
        let cweIDs = FeedJSON.strings((root["database_specific"] as? [String: Any])?["cwe_ids"])
        for recordID in identity.recordIDs {
            result.batch.vulnerabilities.append(VulnerabilityRecord(
                id: recordID,
                title: nonEmpty(root["summary"]),
                description: nonEmpty(root["details"]),
                cvss: cvss(root["severity"], source: source),
                cweIDs: cweIDs,
                references: references,
                aliases: identity.aliases.filter { $0 != recordID },
                published: (root["published"] as? String).flatMap(FeedTimestamp.normalise),
                modified: (root["modified"] as? String).flatMap(FeedTimestamp.normalise),
                source: source, severity: recordSeverity))
        }
        return result
    }

    /// Which ids the records carry.
    ///
    /// - `UBUNTU-CVE-2021-3782` → `CVE-2021-3782` (the OSV id becomes an alias), so Ubuntu facts
    ///   join CVE data from other feeds.
    /// - `USN-5614-1` → one advisory per CVE it fixes (`upstream`/`related`, vendor prefix
    ///   dropped), each with the USN as advisoryID; the USN itself if it names no CVE.
    /// - `GHSA-…`, `PYSEC-…`, `GO-…`, `RUSTSEC-…` that alias CVEs are filed under each CVE, as
    ///   Trivy's OSV loader groups ids: the CVE is the finding's id, the record's own id its
    ///   advisoryID (Trivy's `VendorIDs`), so the GHSA and PYSEC records of one CVE, and RubySec
    ///   or FriendsOfPHP entries of it, meet as one finding. Without a CVE the id stays as it is.
    struct Identity {
        /// The ids a vulnerability record is stored under (one per CVE, or the record's own id).
        var recordIDs: [String]
        var advisoryVulnerabilityIDs: [String]
        var advisoryID: String?
        var aliases: [String] = []

        init(id: String, root: [String: Any]) {
            let upstream = FeedJSON.strings(root["upstream"]).map(Self.dropVendorPrefix)
            let aliasIDs = FeedJSON.strings(root["aliases"]).map(Self.dropVendorPrefix)
            if Self.isVendorAdvisoryID(id) {
                var cves: [String] = []
                for other in FeedJSON.strings(root["related"]).map(Self.dropVendorPrefix) + upstream + aliasIDs
                where other.hasPrefix("CVE-") {
                    FeedText.appendUnique(other, to: &cves)
                }
                recordIDs = [id]
                advisoryID = id
                advisoryVulnerabilityIDs = cves.isEmpty ? [id] : cves
                aliases = cves
                return
            }
            let own = Self.dropVendorPrefix(id)
            let preferred = PreferredIDs(own: own, others: aliasIDs + upstream)
            recordIDs = preferred.vulnerabilityIDs
            advisoryVulnerabilityIDs = preferred.vulnerabilityIDs
            advisoryID = preferred.advisoryID
            if own != id { aliases.append(id) }
            // Every id but the record's own (filtered per record); several CVEs alias each other.
            for other in preferred.aliases + preferred.vulnerabilityIDs where preferred.vulnerabilityIDs.count > 1 || other != recordIDs[0] {
                FeedText.appendUnique(other, to: &aliases)
            }
        }

        /// Ids of advisories that fix several CVEs at once: Ubuntu's USNs and the Alma/Rocky
        /// errata (`ALSA-2023:5259`, `RLSA-2023:3220`, and their bug-fix/enhancement siblings).
        static func isVendorAdvisoryID(_ id: String) -> Bool {
            ["USN-", "ALSA-", "ALBA-", "ALEA-", "RLSA-", "RLBA-", "RLEA-"].contains { id.hasPrefix($0) }
        }

        /// `UBUNTU-CVE-2021-3782` → `CVE-2021-3782`; likewise any other `DISTRO-CVE-…` wrapper
        /// (osv.dev's `DEBIAN-CVE-…`), which are the same CVE seen by one vendor.
        static func dropVendorPrefix(_ id: String) -> String {
            guard let range = id.range(of: "-CVE-"), !id[..<range.lowerBound].isEmpty,
                  id[..<range.lowerBound].allSatisfy({ $0.isASCII && $0.isUppercase })
            else { return id }
            return String(id[id.index(after: range.lowerBound)...])
        }
    }

    /// OSV ecosystem string → Ecosystem.
    ///
    /// `Ubuntu:14.04:LTS`/`Ubuntu:22.04` → ubuntu; any other qualifier (`Ubuntu:Pro:16.04:LTS`,
    /// `Ubuntu:Pro:FIPS…`) → `ubuntu-pro`, which the matcher can leave out for images without a
    /// subscription. `Debian:8` → debian 8, `Alpine:v3.16` → alpine 3.16; everything else keeps
    /// its name verbatim with no release (`PyPI`, `Go`, `crates.io`).
    static func mapEcosystem(_ name: String) -> Ecosystem {
        let parts = name.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return Ecosystem(family: name, release: "") }
        let qualifiers = parts.dropFirst()
        switch parts[0] {
        case "Ubuntu":
            guard let version = qualifiers.first(where: isReleaseNumber) else { break }
            let plain = qualifiers.allSatisfy { isReleaseNumber($0) || $0 == "LTS" }
            return Ecosystem(family: plain ? "ubuntu" : "ubuntu-pro", release: String(version))
        case "Debian":
            return Ecosystem(family: "debian", release: String(parts[1]))
        case "AlmaLinux", "Rocky Linux":
            // `AlmaLinux:8`, `Rocky Linux:9`: the OS detector reports the major release.
            let major = parts[1].split(separator: ".").first.map(String.init) ?? String(parts[1])
            return Ecosystem(family: parts[0] == "AlmaLinux" ? "alma" : "rocky", release: major)
        case "Alpine":
            let release = parts[1].hasPrefix("v") ? parts[1].dropFirst() : parts[1]
            return Ecosystem(family: "alpine", release: String(release))
        default:
            break
        }
        return Ecosystem(family: name, release: "")
    }

    private static func isReleaseNumber(_ text: Substring) -> Bool {
        !text.isEmpty && text.first?.isNumber == true && text.allSatisfy { $0.isNumber || $0 == "." }
    }

    /// `ubuntu` for Ubuntu's own records; `osv-<ecosystem>` otherwise, without any `:release`
    /// suffix so one feed is one source (`osv-PyPI`, `osv-Debian`).
    private static func sourceID(ecosystemName: String, ecosystem: Ecosystem) -> String {
        if ecosystem.family == "ubuntu" || ecosystem.family == "ubuntu-pro" { return "ubuntu" }
        // Trivy's data-source ids for the Red Hat rebuilds.
        if ecosystem.family == "alma" || ecosystem.family == "rocky" { return ecosystem.family }
        let base = ecosystemName.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ecosystemName
        return "osv-\(base)"
    }

    /// ECOSYSTEM and SEMVER ranges as AffectedRanges (see ``OSVRangeEvents``), the highest
    /// `fixed` version, and whether any GIT range was left out. GIT ranges name commits, which
    /// installed packages do not carry, so they are ignored.
    static func versionRanges(_ value: Any?, ecosystem: String) -> (ranges: [AffectedRange], lastFixed: String?, hadGit: Bool) {
        var ranges: [AffectedRange] = []
        var lastFixed: String?
        var hadGit = false
        for item in value as? [Any] ?? [] {
            guard let range = item as? [String: Any], let type = range["type"] as? String else { continue }
            guard type == "ECOSYSTEM" || type == "SEMVER" else {
                if type == "GIT" { hadGit = true }
                continue
            }
            let (intervals, fixed) = OSVRangeEvents.intervals(type: type, ecosystem: ecosystem, events: range["events"] as? [Any] ?? [])
            ranges += intervals
            if let fixed { lastFixed = fixed }
        }
        return (ranges, lastFixed, hadGit)
    }

    /// A severity word for the whole record: Ubuntu's `severity[type=Ubuntu]` (UBUNTU-CVE records
    /// keep their priority there) or GHSA-style `database_specific.severity`.
    private static func recordLevelSeverity(_ root: [String: Any]) -> String? {
        for item in root["severity"] as? [Any] ?? [] {
            if let entry = item as? [String: Any], entry["type"] as? String == "Ubuntu",
               let score = entry["score"] as? String, !score.isEmpty {
                return score
            }
        }
        if let severity = (root["database_specific"] as? [String: Any])?["severity"] as? String { return severity }
        // Alma and Rocky errata carry Red Hat's impact as the summary's first word ("Moderate: mariadb…").
        if let summary = root["summary"] as? String, let colon = summary.firstIndex(of: ":") {
            let word = summary[..<colon]
            if ["Low", "Moderate", "Important", "Critical"].contains(word) { return String(word) }
        }
        return nil
    }

    /// The first CVSS v3, v2 and v4 vectors of `severity[]`, with computed base scores for v2
    /// and v3 (OSV carries no v4 score, and the v4 score needs FIRST's lookup tables).
    static func cvss(_ value: Any?, source: String) -> [CVSSRecord] {
        var v3: String?
        var v2: String?
        var v4: String?
        for item in value as? [Any] ?? [] {
            guard let entry = item as? [String: Any], let type = entry["type"] as? String,
                  let score = entry["score"] as? String, !score.isEmpty
            else { continue }
            if type == "CVSS_V3", v3 == nil { v3 = score }
            if type == "CVSS_V2", v2 == nil { v2 = score }
            if type == "CVSS_V4", v4 == nil { v4 = score }
        }
        guard v3 != nil || v2 != nil || v4 != nil else { return [] }
        return [CVSSRecord(source: source, v2Vector: v2, v2Score: v2.flatMap(CVSSScore.v2),
                           v3Vector: v3, v3Score: v3.flatMap(CVSSScore.v3), v40Vector: v4)]
    }

    private static func nonEmpty(_ value: Any?) -> String? {
        guard let text = value as? String, !text.isEmpty else { return nil }
        return text
    }
}
