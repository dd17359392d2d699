import Analyzers
import ConfigScan
import Foundation
import Versioning
import VulnDB
import VigilCore

/// Turns a Dockerfile's `BuildPredictions` into predicted vulnerabilities: end-of-life base
/// images, plain-http/ftp downloads, package files matched against their distro release's
/// advisories (the distro's own version order), and source archives matched against the NVD CPE
/// ranges of their upstream product.
public struct BuildPredictionMatcher {
    /// Nil when no database is available: only the database-free predictions are made, and every
    /// versioned artefact is listed in `unmatched`.
    public let database: VulnDatabase?
    public let now: Date

    public init(database: VulnDatabase?, now: Date = Date()) {
        self.database = database
        self.now = now
    }

    /// What matching found, and what it could not try.
    public struct Outcome: Sendable {
        /// Ordered by line, then kind, then severity (highest first), then id.
        public var vulnerabilities: [PredictedVulnerability] = []
        /// Artefacts that could not be matched, with why (`wget_1.0_amd64.deb (line 4): base image distro unknown`).
        public var unmatched: [String] = []
    }

    public static let endOfLifeID = "VGL-EOL-BASE"
    public static let plaintextDownloadID = "VGL-PLAIN-DOWNLOAD"

    static let nvdSource = DataSource(id: "nvd", name: "National Vulnerability Database", url: "https://nvd.nist.gov/")
    static let vigilSource = DataSource(id: "vigil", name: "Vigil build predictions", url: "docs/config-checks.md#predictions")

    /// Predictions for one scanned Dockerfile.
    public func match(_ scan: ConfigScanResult, includeEndOfLife: Bool = true, includePackageFiles: Bool = true) throws(VulnDBError) -> Outcome {
        var out = Outcome()
        let p = scan.predictions
        if includeEndOfLife {
            for base in p.baseImages where base.isInFinalImage && !base.isScratch && !base.isStageReference {
                if let v = endOfLife(base) { out.vulnerabilities.append(v) }
            }
        }
        for d in p.downloads where d.isPlaintextFetch {
            out.vulnerabilities.append(plaintext(d))
        }
        for a in p.artefacts {
            let lines = "\(a.fileName) (line\(a.lines.count > 1 ? "s" : "") \(a.lines.map(String.init).joined(separator: ", ")))"
            switch a.kind {
            case .deb, .rpm, .apk:
                guard includePackageFiles else { continue }
                guard let distro = distro(of: a, in: scan) else {
                    out.unmatched.append("\(lines): the base image does not name a distro release this table knows")
                    continue
                }
                guard let database else { out.unmatched.append("\(lines): no vulnerability database"); continue }
                out.vulnerabilities += try packageFile(a, distro: distro, database: database)
            case .tarball, .zip:
                guard let database else { out.unmatched.append("\(lines): no vulnerability database"); continue }
                out.vulnerabilities += try sourceArchive(a, database: database)
            case .wheel:
                out.unmatched.append("\(lines): Python wheels are not matched (scan the built image)")
            }
        }
        let kindOrder = Dictionary(uniqueKeysWithValues: PredictedVulnerability.Kind.allCases.enumerated().map { ($1, $0) })
        out.vulnerabilities = out.vulnerabilities.enumerated().sorted { l, r in
            let a = l.element, b = r.element
            if a.startLine != b.startLine { return a.startLine < b.startLine }
            if a.kind != b.kind { return kindOrder[a.kind]! < kindOrder[b.kind]! }
            if a.source != b.source { return a.source < b.source }
            if a.finding.severity != b.finding.severity { return a.finding.severity > b.finding.severity }
            if a.finding.vulnerabilityID != b.finding.vulnerabilityID { return a.finding.vulnerabilityID < b.finding.vulnerabilityID }
            return l.offset < r.offset
        }.map(\.element)
        return out
    }

    // MARK: base images

    func endOfLife(_ base: BuildPredictions.BaseImage) -> PredictedVulnerability? {
        guard let distro = BaseImageDistro(repository: base.repository, tag: base.tag), let date = distro.endOfLifeDate,
              EndOfLifeTable.isPast(date, now: now) else { return nil }
        let pkg = Self.package(name: distro.family, version: distro.release, format: Self.format(family: distro.family))
        let title = "\(distro.family) \(distro.release) reached end of support on \(date)"
        let description = "The base image \(base.image) is \(distro.family) \(distro.release), whose vendor support ended on \(date): "
            + "its packages get no more security fixes, so every vulnerability published since stays in the image. "
            + "Rebuild on a supported release."
        let finding = Self.finding(id: Self.endOfLifeID, pkg, severity: .high, title: title, description: description,
                                   cwe: ["CWE-1104"], references: [])
        return PredictedVulnerability(kind: .endOfLifeBase, finding: finding, startLine: base.line, endLine: base.line, stage: base.stage,
                                      source: base.image, urls: [], purl: "pkg:docker/\(base.repository)@\(base.tag ?? "")")
    }

    /// The distro a package file was built for: its Debian revision says (`1ubuntu1.14.04.5`,
    /// `+deb8u5`), else the base image of its stage (following `FROM <stage>`).
    func distro(of a: BuildPredictions.VersionedArtefact, in scan: ConfigScanResult) -> BaseImageDistro? {
        if a.kind == .deb, let d = BaseImageDistro.fromDebianRevision(a.version) { return d }
        var index: Int? = a.stage
        var seen: Set<Int> = []
        while let i = index, i < scan.dockerfile.stages.count, seen.insert(i).inserted {
            let stage = scan.dockerfile.stages[i]
            if let parent = stage.parentStage { index = parent; continue }
            let base = scan.predictions.baseImages[i]
            return BaseImageDistro(repository: base.repository, tag: base.tag)
        }
        return nil
    }

    // MARK: downloads

    func plaintext(_ d: BuildPredictions.Download) -> PredictedVulnerability {
        let name = d.fileName.isEmpty ? d.host : d.fileName
        let pkg = Self.package(name: name, version: "", format: .dpkg)
        let title = "\(d.scheme)://… download of \(name) can be replaced in transit (man-in-the-middle)"
        let description = "'\(d.tool)' fetches \(d.url) without transport security: anyone on the network path "
            + "(a man-in-the-middle) can substitute the file, and the build installs whatever it receives. "
            + "Download over https:// and verify a checksum or signature."
        let finding = Self.finding(id: Self.plaintextDownloadID, pkg, severity: .high, title: title, description: description,
                                   cwe: ["CWE-319", "CWE-494"], references: [])
        return PredictedVulnerability(kind: .plaintextDownload, finding: finding, startLine: d.line, endLine: d.line, stage: d.stage,
                                      source: d.url, urls: [d.url], purl: "pkg:generic/\(Self.purlEscape(name))?download_url=\(Self.purlEscape(d.url))")
    }

    // MARK: package files

    /// Binary package names whose advisories are filed under another source package.
    static let sourceNames: [String: [String]] = [
        "libc6": ["glibc", "eglibc"], "libc-bin": ["glibc", "eglibc"], "libssl1.0.0": ["openssl"], "libssl1.1": ["openssl"],
        "libssl3": ["openssl"], "libcurl3": ["curl"], "libcurl4": ["curl"], "libcurl3-gnutls": ["curl"],
        "libxml2-utils": ["libxml2"], "openssh-client": ["openssh"], "openssh-server": ["openssh"],
        "libsqlite3-0": ["sqlite3"], "zlib1g": ["zlib"], "bind9": ["bind9"], "libgnutls30": ["gnutls28"],
    ]

    func packageFile(_ a: BuildPredictions.VersionedArtefact, distro: BaseImageDistro, database: VulnDatabase) throws(VulnDBError) -> [PredictedVulnerability] {
        let format = a.kind == .deb ? PackageFormat.dpkg : a.kind == .rpm ? .rpm : .apk
        var names = [a.name]
        for extra in Self.sourceNames[a.name] ?? [] where !names.contains(extra) { names.append(extra) }
        let pkg = InstalledPackage(format: format, name: a.name, version: a.version, upstreamVersion: a.version, arch: a.architecture,
                                   sourceName: a.name, sourceVersion: a.version, databasePath: a.fileName)
        let advisories = try database.advisories(family: distro.family, release: distro.release, packages: Set(names))
        var matched: [(AdvisoryRecord, String?)] = []
        var seen: Set<String> = []
        for name in names {
            for advisory in advisories[name] ?? [] where !seen.contains(advisory.vulnerabilityID) {
                guard let (fixed, _) = VulnerabilityMatcher.affects(advisory, pkg) else { continue }
                seen.insert(advisory.vulnerabilityID)
                matched.append((advisory, fixed))
            }
        }
        let records = try database.vulnerabilities(ids: seen)
        let type = a.kind == .deb ? "deb" : a.kind == .rpm ? "rpm" : "apk"
        var purl = "pkg:\(type)/\(distro.family)/\(Self.purlEscape(a.name))@\(Self.purlEscape(a.version))"
        var qualifiers: [String] = []
        if let arch = a.architecture { qualifiers.append("arch=\(arch)") }
        qualifiers.append("distro=\(distro.family)-\(distro.release)")
        purl += "?" + qualifiers.joined(separator: "&")
        return matched.map { advisory, fixed in
            let f = VulnerabilityMatcher.finding(advisory, pkg, fixed: fixed, status: "predicted", records: records[advisory.vulnerabilityID] ?? [])
            return PredictedVulnerability(kind: .packageFile, finding: f, startLine: a.lines.first ?? 0, endLine: a.lines.last ?? 0,
                                          stage: a.stage, source: a.fileName, urls: a.urls, purl: purl)
        }
    }

    // MARK: source archives

    /// Whether `version` is inside `criterion`, reading an exact CPE version together with its
    /// update field (`1.9.5` + `p1` is `1.9.5p1`).
    static func contains(_ criterion: CPEMatchRecord, version: String) -> Bool {
        if criterion.version != "*", criterion.version != "-", !criterion.version.isEmpty, criterion.update != "*", criterion.update != "-",
           !criterion.update.isEmpty {
            return UpstreamVersion.compare(version, criterion.version + criterion.update) == 0
        }
        return criterion.contains(version: version)
    }

    func sourceArchive(_ a: BuildPredictions.VersionedArtefact, database: VulnDatabase) throws(VulnDBError) -> [PredictedVulnerability] {
        var version = a.version
        if version.first == "v", version.dropFirst().first?.isNumber == true { version.removeFirst() }
        var byID: [String: [CPEMatchRecord]] = [:]
        var order: [String] = []
        for (vendor, product) in UpstreamProducts.candidates(for: a.name) {
            for m in try database.cpeMatches(vendor: vendor, product: product) where m.part == "a" && Self.contains(m, version: version) {
                if byID[m.vulnerabilityID] == nil { order.append(m.vulnerabilityID) }
                byID[m.vulnerabilityID, default: []].append(m)
            }
        }
        guard !order.isEmpty else { return [] }
        let records = try database.vulnerabilities(ids: Set(order))
        let pkg = InstalledPackage(format: .dpkg, name: a.name, version: version, upstreamVersion: version,
                                   sourceName: a.name, sourceVersion: version, databasePath: a.fileName)
        return order.map { id in
            let matches = byID[id]!
            let advisory = AdvisoryRecord(vulnerabilityID: id, ecosystem: Ecosystem(family: "nvd", release: ""), packageName: matches[0].product,
                                          status: .affected, source: "nvd")
            // The first release outside the matched range, when NVD gives an exclusive end.
            let fixed = matches.compactMap(\.versionEndExcluding).first
            var f = VulnerabilityMatcher.finding(advisory, pkg, fixed: fixed, status: "predicted", records: records[id] ?? [])
            f.dataSource = Self.nvdSource
            let purl = "pkg:generic/\(Self.purlEscape(a.name))@\(Self.purlEscape(version))"
                + (a.urls.first.map { "?download_url=\(Self.purlEscape($0))" } ?? "")
            return PredictedVulnerability(kind: .sourceArchive, finding: f, startLine: a.lines.first ?? 0, endLine: a.lines.last ?? 0,
                                          stage: a.stage, source: a.fileName, urls: a.urls, purl: purl, cpe: matches[0].criteria)
        }
    }

    // MARK: helpers

    static func format(family: String) -> PackageFormat {
        switch family {
        case "ubuntu", "debian": .dpkg
        case "alpine": .apk
        default: .rpm
        }
    }

    static func package(name: String, version: String, format: PackageFormat) -> InstalledPackage {
        InstalledPackage(format: format, name: name, version: version, upstreamVersion: version, sourceName: name,
                         sourceVersion: version, databasePath: "Dockerfile")
    }

    static func finding(id: String, _ pkg: InstalledPackage, severity: Severity, title: String, description: String,
                        cwe: [String], references: [String]) -> Finding {
        Finding(vulnerabilityID: id, package: pkg, fixedVersion: nil, status: "predicted", severity: severity, severitySource: "vigil",
                vendorSeverity: ["vigil": severity], dataSource: vigilSource, advisoryID: nil, title: title, description: description,
                cweIDs: cwe, cvss: [], references: references, publishedDate: nil, lastModifiedDate: nil)
    }

    /// Percent-encodes what a purl component may not carry raw.
    static func purlEscape(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(UnicodeScalar(b))
            if b < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) { out.append(c) } else { out += String(format: "%%%02X", b) }
        }
        return out
    }
}
