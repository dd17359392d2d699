import Analyzers
import VulnDB

/// Where a finding's data came from (Trivy's `DataSource`).
public struct DataSource: Sendable, Hashable {
    public var id: String
    public var name: String
    public var url: String

    /// The data source for an advisory source id.
    public static func forSource(_ source: String) -> DataSource {
        switch source {
        case "alpine": return DataSource(id: "alpine", name: "Alpine Secdb", url: "https://secdb.alpinelinux.org/")
        case "debian": return DataSource(id: "debian", name: "Debian Security Tracker", url: "https://salsa.debian.org/security-tracker-team/security-tracker")
        case "ubuntu": return DataSource(id: "ubuntu", name: "Ubuntu CVE Tracker", url: "https://git.launchpad.net/ubuntu-cve-tracker")
        case "wolfi": return DataSource(id: "wolfi", name: "Wolfi Secdb", url: "https://packages.wolfi.dev/os/security.json")
        case "redhat": return DataSource(id: "redhat", name: "Red Hat Security Data", url: "https://security.access.redhat.com/data/")
        case "alma": return DataSource(id: "alma", name: "AlmaLinux Product Errata", url: "https://errata.almalinux.org/")
        case "wordfence": return DataSource(id: "wordfence", name: "Wordfence Intelligence", url: "https://www.wordfence.com/threat-intel/vulnerabilities/")
        case "nvd": return DataSource(id: "nvd", name: "National Vulnerability Database", url: "https://nvd.nist.gov/")
        case "rocky": return DataSource(id: "rocky", name: "Rocky Linux updateinfo", url: "https://download.rockylinux.org/pub/rocky/")
        case "ruby-advisory-db": return DataSource(id: source, name: "Ruby Advisory Database", url: "https://github.com/rubysec/ruby-advisory-db")
        case "php-security-advisories":
            return DataSource(id: source, name: "PHP Security Advisories Database", url: "https://github.com/FriendsOfPHP/security-advisories")
        case "nodejs-security-wg":
            return DataSource(id: source, name: "Node.js Ecosystem Security Working Group", url: "https://github.com/nodejs/security-wg")
        default:
            let eco = source.hasPrefix("osv-") ? String(source.dropFirst(4)) : source
            return DataSource(id: source, name: "OSV \(eco)", url: "https://osv.dev/list?ecosystem=\(eco)")
        }
    }
}

/// One vulnerable package: what is installed, what fixes it, and what is known about the flaw.
public struct Finding: Sendable {
    public var vulnerabilityID: String
    public var package: InstalledPackage
    public var fixedVersion: String?
    /// `fixed`, `affected`, `will_not_fix`, `end_of_life`.
    public var status: String
    public var severity: Severity
    public var severitySource: String?
    public var vendorSeverity: [String: Severity]
    public var dataSource: DataSource
    public var advisoryID: String?
    public var title: String?
    public var description: String?
    public var cweIDs: [String]
    public var cvss: [CVSSRecord]
    public var references: [String]
    public var publishedDate: String?
    public var lastModifiedDate: String?

    public init(vulnerabilityID: String, package: InstalledPackage, fixedVersion: String?, status: String, severity: Severity,
                severitySource: String?, vendorSeverity: [String: Severity], dataSource: DataSource, advisoryID: String?,
                title: String?, description: String?, cweIDs: [String], cvss: [CVSSRecord], references: [String],
                publishedDate: String?, lastModifiedDate: String?) {
        self.vulnerabilityID = vulnerabilityID
        self.package = package
        self.fixedVersion = fixedVersion
        self.status = status
        self.severity = severity
        self.severitySource = severitySource
        self.vendorSeverity = vendorSeverity
        self.dataSource = dataSource
        self.advisoryID = advisoryID
        self.title = title
        self.description = description
        self.cweIDs = cweIDs
        self.cvss = cvss
        self.references = references
        self.publishedDate = publishedDate
        self.lastModifiedDate = lastModifiedDate
    }

    /// The link to read first: the CVE record, else the advisory's page.
    public var primaryURL: String? {
        if vulnerabilityID.hasPrefix("CVE-") { return "https://nvd.nist.gov/vuln/detail/\(vulnerabilityID)" }
        if vulnerabilityID.hasPrefix("DSA-") || vulnerabilityID.hasPrefix("DLA-") || vulnerabilityID.hasPrefix("TEMP-") {
            return "https://security-tracker.debian.org/tracker/\(vulnerabilityID)"
        }
        if vulnerabilityID.hasPrefix("USN-") { return "https://ubuntu.com/security/notices/\(vulnerabilityID)" }
        if vulnerabilityID.hasPrefix("GHSA-") { return "https://github.com/advisories/\(vulnerabilityID)" }
        return references.first
    }
}
