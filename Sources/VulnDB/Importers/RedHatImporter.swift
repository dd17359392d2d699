import Foundation
import VigilCore
/// Red Hat's security data: CSAF 2.0 advisories and VEX files (`document` + `product_tree` +
/// `vulnerabilities`) and the Security Data API's per-CVE JSON (`threat_severity`,
/// `affected_release`, `package_state`). Both become family `redhat`, source `redhat`.
///
/// Releases come from the platform CPE: `cpe:/o:redhat:enterprise_linux:9::baseos`,
/// `cpe:/a:redhat:rhel_eus:8.6` → release `8` (the OS detector reports the major release).
/// Extended-support streams (EUS, AUS, E4S, TUS, ELS) therefore share their major release with
/// the main stream; the merge keeps the highest fix, so a stream that got an older backport is
/// reported against the newest fix (conservative). Non-RHEL products (OpenShift, JBoss…) are
/// skipped and counted.
enum RedHatImporter {
    static let source = "redhat"

    // MARK: - CSAF / VEX

    static func parseCSAF(path: String, data: [UInt8]) throws(VulnDBError) -> FeedParseResult {
        let root = try FeedJSON.object(path: path, data: data)
        guard let document = root["document"] as? [String: Any] else {
            throw VulnDBError(.malformedFeed, "\(path): CSAF document without \"document\"")
        }
        guard let vulnerabilities = root["vulnerabilities"] as? [Any] else {
            throw VulnDBError(.malformedFeed, "\(path): CSAF document without a \"vulnerabilities\" list")
        }
        let tracking = document["tracking"] as? [String: Any]
        let category = document["category"] as? String ?? ""
        let advisoryID = category == "csaf_security_advisory" ? tracking?["id"] as? String : nil
        let aggregate = (document["aggregate_severity"] as? [String: Any])?["text"] as? String

        // product id → CPE of platforms; component id → package name/NEVRA; full id → (component, platform).
        var platformCPE: [String: String] = [:]
        var componentName: [String: String] = [:]
        func walk(_ branches: [Any]) {
            for case let branch as [String: Any] in branches {
                if let product = branch["product"] as? [String: Any], let id = product["product_id"] as? String {
                    let helper = product["product_identification_helper"] as? [String: Any]
                    if let cpe = helper?["cpe"] as? String {
                        platformCPE[id] = cpe
                    } else {
                        componentName[id] = (product["name"] as? String) ?? id
                    }
                }
                if let children = branch["branches"] as? [Any] { walk(children) }
            }
        }
        let tree = root["product_tree"] as? [String: Any] ?? [:]
        walk(tree["branches"] as? [Any] ?? [])
        var relationships: [String: (component: String, platform: String)] = [:]
        for case let r as [String: Any] in tree["relationships"] as? [Any] ?? [] {
            guard let full = (r["full_product_name"] as? [String: Any])?["product_id"] as? String,
                  let component = r["product_reference"] as? String,
                  let platform = r["relates_to_product_reference"] as? String else { continue }
            relationships[full] = (component, platform)
        }

        var result = FeedParseResult()
        for (index, item) in vulnerabilities.enumerated() {
            guard let vuln = item as? [String: Any] else {
                throw VulnDBError(.malformedFeed, "\(path): vulnerabilities[\(index)] is not an object")
            }
            guard let cve = (vuln["cve"] as? String) ?? ((vuln["ids"] as? [Any])?.first as? [String: Any])?["text"] as? String else {
                result.skip("CSAF vulnerability without a cve")
                continue
            }
            var severity: String?
            for case let threat as [String: Any] in vuln["threats"] as? [Any] ?? [] where threat["category"] as? String == "impact" {
                severity = threat["details"] as? String
            }
            severity = severity ?? aggregate
            var noFixPlanned: Set<String> = []
            var outOfSupport: Set<String> = []
            for case let remediation as [String: Any] in vuln["remediations"] as? [Any] ?? [] {
                let ids = FeedJSON.strings(remediation["product_ids"])
                switch remediation["category"] as? String {
                case "no_fix_planned":
                    let details = (remediation["details"] as? String ?? "").lowercased()
                    if details.contains("out of support") { outOfSupport.formUnion(ids) } else { noFixPlanned.formUnion(ids) }
                default: break
                }
            }
            let statuses = vuln["product_status"] as? [String: Any] ?? [:]
            let mapping: [(String, AdvisoryStatus)] = [
                ("fixed", .fixed), ("known_affected", .affected), ("known_not_affected", .notAffected),
            ]
            for (key, status) in mapping {
                for productID in FeedJSON.strings(statuses[key]) {
                    guard let (component, platform) = relationships[productID] else {
                        result.skip("CSAF product without a relationship")
                        continue
                    }
                    guard let release = platformCPE[platform].flatMap(release(fromCPE:)) else {
                        result.skip("CSAF product outside Red Hat Enterprise Linux")
                        continue
                    }
                    let nevra = componentName[component] ?? component
                    guard let package = Package(nevra) else {
                        result.skip("CSAF component that is not an RPM package")
                        continue
                    }
                    var final = status
                    if status == .affected, noFixPlanned.contains(productID) { final = .willNotFix }
                    if status == .affected, outOfSupport.contains(productID) { final = .endOfLife }
                    if status == .fixed, package.version == nil {
                        result.skip("CSAF fixed product without a version")
                        continue
                    }
                    result.batch.advisories.append(AdvisoryRecord(
                        vulnerabilityID: cve, ecosystem: Ecosystem(family: "redhat", release: release), packageName: package.name,
                        status: final, fixedVersion: final == .fixed ? package.version : nil, vendorSeverity: severity,
                        source: source, advisoryID: advisoryID))
                }
            }
            var description: String?, title: String?
            for case let note as [String: Any] in vuln["notes"] as? [Any] ?? [] {
                switch note["category"] as? String {
                case "description": description = description ?? note["text"] as? String
                case "summary": title = title ?? note["text"] as? String
                default: break
                }
            }
            var cvss = CVSSRecord(source: source)
            for case let score as [String: Any] in vuln["scores"] as? [Any] ?? [] {
                if cvss.v3Vector == nil, let v3 = score["cvss_v3"] as? [String: Any], let vector = v3["vectorString"] as? String {
                    cvss.v3Vector = vector
                    cvss.v3Score = NVDImporter.number(v3["baseScore"]) ?? CVSSScore.v3(vector)
                }
                if cvss.v2Vector == nil, let v2 = score["cvss_v2"] as? [String: Any], let vector = v2["vectorString"] as? String {
                    cvss.v2Vector = vector
                    cvss.v2Score = NVDImporter.number(v2["baseScore"]) ?? CVSSScore.v2(vector)
                }
            }
            var references: [String] = []
            for case let r as [String: Any] in vuln["references"] as? [Any] ?? [] {
                if let url = r["url"] as? String { FeedText.appendUnique(url, to: &references) }
            }
            let cwe = (vuln["cwe"] as? [String: Any])?["id"] as? String
            result.batch.vulnerabilities.append(VulnerabilityRecord(
                id: cve, title: title, description: description, cvss: cvss.isEmpty ? [] : [cvss],
                cweIDs: cwe.map { [$0] } ?? [], references: references,
                published: (vuln["release_date"] as? String).flatMap(FeedTimestamp.normalise),
                modified: (tracking?["current_release_date"] as? String).flatMap(FeedTimestamp.normalise),
                source: source, severity: severity))
        }
        return result
    }

    // MARK: - Security Data API CVE JSON

    static func parseCVE(path: String, data: [UInt8]) throws(VulnDBError) -> FeedParseResult {
        let root = try FeedJSON.object(path: path, data: data)
        guard let cve = root["name"] as? String, cve.hasPrefix("CVE-") else {
            throw VulnDBError(.malformedFeed, "\(path): Red Hat CVE record without a \"name\" CVE id")
        }
        var result = FeedParseResult()
        let severity = root["threat_severity"] as? String
        for case let item as [String: Any] in root["affected_release"] as? [Any] ?? [] {
            guard let release = (item["cpe"] as? String).flatMap(release(fromCPE:)) else {
                result.skip("affected_release outside Red Hat Enterprise Linux")
                continue
            }
            guard let text = item["package"] as? String, let package = Package(text), let version = package.version else {
                result.skip("affected_release without a package version")
                continue
            }
            result.batch.advisories.append(AdvisoryRecord(
                vulnerabilityID: cve, ecosystem: Ecosystem(family: "redhat", release: release), packageName: package.name,
                status: .fixed, fixedVersion: version, vendorSeverity: severity, source: source,
                advisoryID: item["advisory"] as? String))
        }
        for case let item as [String: Any] in root["package_state"] as? [Any] ?? [] {
            guard let release = (item["cpe"] as? String).flatMap(release(fromCPE:)) else {
                result.skip("package_state outside Red Hat Enterprise Linux")
                continue
            }
            guard let name = item["package_name"] as? String, let package = Package(name) else {
                result.skip("package_state for a non-RPM component")
                continue
            }
            let status: AdvisoryStatus
            switch (item["fix_state"] as? String ?? "").lowercased() {
            case "affected", "fix deferred": status = .affected
            case "will not fix": status = .willNotFix
            case "out of support scope": status = .endOfLife
            case "not affected": status = .notAffected
            default:
                result.skip("package_state '\(item["fix_state"] as? String ?? "")'")
                continue
            }
            result.batch.advisories.append(AdvisoryRecord(
                vulnerabilityID: cve, ecosystem: Ecosystem(family: "redhat", release: release), packageName: package.name,
                status: status, vendorSeverity: severity, source: source))
        }
        var cvss = CVSSRecord(source: source)
        if let v3 = root["cvss3"] as? [String: Any], let vector = v3["cvss3_scoring_vector"] as? String {
            cvss.v3Vector = vector
            cvss.v3Score = NVDImporter.number(v3["cvss3_base_score"]) ?? CVSSScore.v3(vector)
        }
        if let v2 = root["cvss"] as? [String: Any], let vector = v2["cvss_scoring_vector"] as? String {
            cvss.v2Vector = vector
            cvss.v2Score = NVDImporter.number(v2["cvss_base_score"]) ?? CVSSScore.v2(vector)
        }
        var cwes: [String] = []
        if let text = root["cwe"] as? String {
            // `CWE-444`, `CWE-20->CWE-444`, `(CWE-120|CWE-787)`.
            var rest = Substring(text)
            while let range = rest.range(of: "CWE-") {
                let digits = rest[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
                if !digits.isEmpty { FeedText.appendUnique("CWE-" + digits, to: &cwes) }
                rest = rest[range.upperBound...]
            }
        }
        var references: [String] = []
        for text in FeedJSON.strings(root["references"]) {
            for url in text.split(whereSeparator: { $0 == "\n" || $0 == " " }) where url.contains("://") {
                FeedText.appendUnique(String(url), to: &references)
            }
        }
        let details = FeedJSON.strings(root["details"])
        result.batch.vulnerabilities.append(VulnerabilityRecord(
            id: cve, title: (root["bugzilla"] as? [String: Any])?["description"] as? String,
            description: details.last, cvss: cvss.isEmpty ? [] : [cvss], cweIDs: cwes, references: references,
            published: (root["public_date"] as? String).flatMap(FeedTimestamp.normalise), source: source, severity: severity))
        return result
    }

    // MARK: - Shared

    /// `cpe:/o:redhat:enterprise_linux:9::baseos` → `9`; `cpe:/a:redhat:rhel_eus:8.6` → `8`;
    /// nil for other products.
    static func release(fromCPE cpe: String) -> String? {
        let parts = cpe.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[0] == "cpe", parts[2] == "redhat",
              parts[3] == "enterprise_linux" || parts[3].hasPrefix("rhel_") else { return nil }
        let major = parts[4].split(separator: ".").first ?? ""
        guard !major.isEmpty, major.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return String(major)
    }

    /// An RPM package named in Red Hat data: `python3.9-0:3.9.18-3.el9_4.5.src`,
    /// `bind-32:9.8.2-0.68.rc1.el6_10.17`, or a bare name (`gstreamer1-plugins-good`,
    /// module-qualified `nodejs:16/nodejs`).
    struct Package {
        var name: String
        /// `[epoch:]version-release`, epoch dropped when 0; nil for a bare name.
        var version: String?

        static let arches: Set<Substring> = ["src", "noarch", "x86_64", "aarch64", "ppc64le", "s390x", "i686", "i386", "ppc64", "s390"]

        init?(_ text: String) {
            guard let parsed = Self.parse(text) else { return nil }
            self = parsed
        }

        private init(name: String, version: String?) {
            self.name = name
            self.version = version
        }

        private static func parse(_ text: String) -> Package? {
            guard !text.isEmpty, !text.contains(" ") else { return nil }
            if text.contains("/") {
                // `libreoffice:flatpak/…` ships inside a Flatpak, not as an installed RPM.
                guard !text.contains("flatpak"), let last = text.split(separator: "/").last else { return nil }
                return parse(String(last))
            }
            var body = Substring(text)
            if let dot = body.lastIndex(of: "."), arches.contains(body[body.index(after: dot)...]) {
                body = body[..<dot]
            }
            // NEVRA: name-[epoch:]version-release, the version part starting with a digit; anything
            // else without a `:` is a bare package name.
            guard let releaseDash = body.lastIndex(of: "-"), let versionDash = body[..<releaseDash].lastIndex(of: "-"),
                  body[body.index(after: versionDash)...].first?.isNumber == true else {
                return text.contains(":") ? nil : Package(name: text, version: nil)
            }
            let name = String(body[..<versionDash])
            var evr = body[body.index(after: versionDash)...]
            if evr.hasPrefix("0:") { evr = evr.dropFirst(2) }
            guard !name.isEmpty, !evr.isEmpty else { return nil }
            return Package(name: name, version: String(evr))
        }
    }
}
