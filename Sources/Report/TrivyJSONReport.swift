import Analyzers
import Classification
import ContainerImage
import Foundation
import JSONValue
import Scanner
import VulnDB
import VigilCore

/// Trivy's SchemaVersion 2 JSON report: same field names, nesting, order and omission rules, so
/// scripts and jq filters written for Trivy read it unchanged.
public struct TrivyJSONReport {
    public var listAllPackages: Bool
    public var createdAt: Date
    /// Adds Vigil's `Categories` to every vulnerability (after `CweIDs`) when set.
    public var classifier: Classifier?

    public init(listAllPackages: Bool = false, createdAt: Date = Date(), classifier: Classifier? = nil) {
        self.listAllPackages = listAllPackages
        self.createdAt = createdAt
        self.classifier = classifier
    }

    /// The report as a JSON value.
    public func json(_ result: ScanResult) -> JSON {
        var root: [(String, JSON)] = [
            ("SchemaVersion", .int(2)),
            ("CreatedAt", .string(Self.rfc3339Nano(createdAt))),
            ("ArtifactName", .string(result.artifactName)),
            ("ArtifactType", .string(result.artifactType.rawValue)),
        ]
        root.append(("Metadata", metadata(result)))
        var results: [JSON] = []
        if result.inventory.os != nil || !result.inventory.packages.isEmpty {
            results.append(osResult(result))
        }
        results += languageResults(result)
        results += unmanagedResults(result)
        results += result.configFindings.map(ConfigReport.result(includePassed: false))
        if !results.isEmpty { root.append(("Results", .array(results))) }
        return .object(root)
    }

    /// Rendered text (two-space indent, Go's escaping, trailing newline).
    public func render(_ result: ScanResult) -> String {
        JSONPrinter(indent: 2).render(json(result))
    }

    func metadata(_ result: ScanResult) -> JSON {
        var m: [(String, JSON)] = []
        if let image = result.image { m.append(("Size", .int(image.size))) }
        if let os = result.inventory.os {
            var o: [(String, JSON)] = [("Family", .string(os.family)), ("Name", .string(os.name))]
            if os.endOfLife { o.append(("EOSL", .bool(true))) }
            m.append(("OS", .object(o)))
        }
        if let image = result.image {
            m.append(("ImageID", .string(image.id)))
            m.append(("DiffIDs", .array(image.layers.map { .string($0.diffID) })))
            if !image.repoTags.isEmpty { m.append(("RepoTags", .array(image.repoTags.map(JSON.string)))) }
            if !image.repoDigests.isEmpty { m.append(("RepoDigests", .array(image.repoDigests.map(JSON.string)))) }
            m.append(("ImageConfig", image.config.value))
            m.append(("Layers", .array(image.layers.map { layer in
                var l: [(String, JSON)] = [("Size", .int(layer.size))]
                if let d = layer.digest { l.append(("Digest", .string(d))) }
                l.append(("DiffID", .string(layer.diffID)))
                return .object(l)
            })))
        }
        return .object(m)
    }

    func layerJSON(_ index: Int?, _ result: ScanResult) -> JSON? {
        guard let index, let image = result.image, index < image.layers.count else { return nil }
        let layer = image.layers[index]
        var l: [(String, JSON)] = []
        if let d = layer.digest { l.append(("Digest", .string(d))) }
        l.append(("DiffID", .string(layer.diffID)))
        return .object(l)
    }

    func osResult(_ result: ScanResult) -> JSON {
        var r: [(String, JSON)] = [
            ("Target", .string(result.target)),
            ("Class", .string("os-pkgs")),
            ("Type", .string(result.inventory.os?.family ?? result.inventory.packageFormat?.rawValue ?? "unknown")),
        ]
        if listAllPackages, !result.inventory.packages.isEmpty {
            r.append(("Packages", .array(result.inventory.packages.map { packageJSON($0, result) })))
        }
        let isOS: (Finding) -> Bool = { $0.package.format.languageEcosystem == nil && $0.package.format != .unmanaged }
        let findings = result.findings.filter(isOS)
        if !findings.isEmpty {
            r.append(("Vulnerabilities", .array(findings.map { findingJSON($0, result) })))
        }
        appendSuppressed(result, where: isOS, to: &r)
        return .object(r)
    }

    /// One `lang-pkgs` result per lockfile, and one for all installed packages of a kind
    /// (Target `Python`), as Trivy writes them; an application without findings still gets its
    /// result (Trivy lists every target it analysed).
    func languageResults(_ result: ScanResult) -> [JSON] {
        result.inventory.applications.map { app in
            var r: [(String, JSON)] = [
                ("Target", .string(app.target)),
                ("Class", .string("lang-pkgs")),
                ("Type", .string(app.type.rawValue)),
            ]
            if listAllPackages, !app.packages.isEmpty {
                r.append(("Packages", .array(app.packages.map { packageJSON($0, result) })))
            }
            let belongs: (Finding) -> Bool = { f in
                f.package.format == app.type && (app.type.isIndividualPackage || f.package.databasePath == app.filePath)
            }
            let findings = result.findings.filter(belongs)
            if !findings.isEmpty {
                r.append(("Vulnerabilities", .array(findings.map { findingJSON($0, result) })))
            }
            appendSuppressed(result, where: belongs, to: &r)
            return .object(r)
        }
    }

    func identifier(_ pkg: InstalledPackage, _ result: ScanResult) -> JSON {
        .object([
            ("PURL", .string(PackageURL.make(pkg, os: result.inventory.os))),
            ("UID", .string(Self.uid(pkg, result))),
        ])
    }

    /// A stable per-package id (Trivy hashes the package; we hash what identifies it).
    static func uid(_ pkg: InstalledPackage, _ result: ScanResult) -> String {
        let layer = pkg.layer.flatMap { i in result.image.map { i < $0.layers.count ? $0.layers[i].diffID : "" } } ?? ""
        let key = [pkg.format.rawValue, pkg.name, pkg.version, pkg.arch ?? "", pkg.sourceName, pkg.sourceVersion, layer].joined(separator: "\u{0}")
        return String(sha256Digest(Array(key.utf8)).dropFirst(7).prefix(16))
    }

    func packageJSON(_ pkg: InstalledPackage, _ result: ScanResult) -> JSON {
        if pkg.format.isLanguagePackage || pkg.format == .unmanaged {
            var p: [(String, JSON)] = [
                ("ID", .string(pkg.id)),
                ("Name", .string(pkg.name)),
                ("Identifier", identifier(pkg, result)),
                ("Version", .string(pkg.version)),
            ]
            if !pkg.licenses.isEmpty { p.append(("Licenses", .array(pkg.licenses.map(JSON.string)))) }
            if pkg.format.isIndividualPackage || pkg.format == .unmanaged { p.append(("FilePath", .string(pkg.databasePath))) }
            if let layer = layerJSON(pkg.layer, result) { p.append(("Layer", layer)) }
            return .object(p)
        }
        var p: [(String, JSON)] = [
            ("ID", .string(pkg.id)),
            ("Name", .string(pkg.name)),
            ("Identifier", identifier(pkg, result)),
            ("Version", .string(pkg.upstreamVersion)),
        ]
        if let r = pkg.release, pkg.format != .apk { p.append(("Release", .string(r))) }
        if let e = pkg.epoch, e != 0 { p.append(("Epoch", .int(e))) }
        if let a = pkg.arch, !a.isEmpty { p.append(("Arch", .string(a))) }
        p.append(("SrcName", .string(pkg.sourceName)))
        switch pkg.format {
        case .apk:
            p.append(("SrcVersion", .string(pkg.sourceVersion)))
        case .dpkg, .rpm, .pythonPackage, .pip, .pipenv, .poetry, .gomod, .cargo, .unmanaged,
             .npm, .yarn, .pnpm, .bundler, .composer, .pom, .gradle,
             .nodePackage, .gemspec, .composerVendor, .dotnetCore, .nuget, .condaPackage, .jar, .gobinary, .rustbinary:
            let (epoch, upstream, release) = DpkgAnalyzer.splitDebianVersion(pkg.sourceVersion)
            p.append(("SrcVersion", .string(upstream)))
            if let release { p.append(("SrcRelease", .string(release))) }
            if let epoch, epoch != 0 { p.append(("SrcEpoch", .int(epoch))) }
        }
        if !pkg.licenses.isEmpty { p.append(("Licenses", .array(pkg.licenses.map(JSON.string)))) }
        if let m = pkg.maintainer, !m.isEmpty { p.append(("Maintainer", .string(m))) }
        if let layer = layerJSON(pkg.layer, result) { p.append(("Layer", layer)) }
        return .object(p)
    }

    func findingJSON(_ f: Finding, _ result: ScanResult) -> JSON {
        var v: [(String, JSON)] = [("VulnerabilityID", .string(f.vulnerabilityID))]
        if let a = f.advisoryID, a != f.vulnerabilityID { v.append(("VendorIDs", .array([.string(a)]))) }
        v.append(("PkgID", .string(f.package.id)))
        v.append(("PkgName", .string(f.package.name)))
        if f.package.format.isIndividualPackage || f.package.format == .unmanaged {
            v.append(("PkgPath", .string(f.package.databasePath)))
        }
        v.append(("PkgIdentifier", identifier(f.package, result)))
        v.append(("InstalledVersion", .string(f.package.version)))
        if let fixed = f.fixedVersion { v.append(("FixedVersion", .string(fixed))) }
        v.append(("Status", .string(f.status)))
        if let layer = layerJSON(f.package.layer, result) { v.append(("Layer", layer)) }
        if let s = f.severitySource { v.append(("SeveritySource", .string(s))) }
        if let u = f.primaryURL { v.append(("PrimaryURL", .string(u))) }
        v.append(("DataSource", .object([
            ("ID", .string(f.dataSource.id)), ("Name", .string(f.dataSource.name)), ("URL", .string(f.dataSource.url)),
        ])))
        let fingerprintKey = [result.artifactName, f.package.id, f.vulnerabilityID, f.package.layer.map(String.init) ?? ""].joined(separator: "\u{0}")
        v.append(("Fingerprint", .string(sha256Digest(Array(fingerprintKey.utf8)))))
        if let t = f.title { v.append(("Title", .string(t))) }
        if let d = f.description { v.append(("Description", .string(d))) }
        v.append(("Severity", .string(f.severity.description)))
        if !f.cweIDs.isEmpty { v.append(("CweIDs", .array(f.cweIDs.map(JSON.string)))) }
        if let classifier {
            let decision = classifier.decision(of: f)
            v.append(("Categories", .array(decision.categories.map { .string($0.rawValue) })))
            v.append(("CategoryReasons", .object(decision.orderedReasons.map { ($0.0, .string($0.1)) })))
        }
        Self.appendRatings(f, to: &v)
        if !f.references.isEmpty { v.append(("References", .array(f.references.map(JSON.string)))) }
        if let p = f.publishedDate { v.append(("PublishedDate", .string(p))) }
        if let m = f.lastModifiedDate { v.append(("LastModifiedDate", .string(m))) }
        return .object(v)
    }

    /// `2021-08-25T12:20:30.000000005Z`-style UTC timestamp (Go's RFC3339Nano trims zeros).
    static func rfc3339Nano(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        let seconds = date.timeIntervalSince1970
        var nanos = Int(((seconds - seconds.rounded(.down)) * 1_000_000_000).rounded())
        var frac = ""
        if nanos > 0 {
            if nanos >= 1_000_000_000 { nanos = 999_999_999 }
            frac = "." + String(String(nanos).reversed().drop(while: { $0 == "0" }).reversed())
            let digits = String(nanos)
            frac = "." + String(repeating: "0", count: 9 - digits.count) + digits
            while frac.hasSuffix("0") { frac.removeLast() }
        }
        return f.string(from: date) + frac + "Z"
    }

    /// `VendorSeverity` and `CVSS` as Trivy prints them (the finding's ratings by source), shared
    /// by scan reports and `vigil config`'s predicted vulnerabilities.
    static func appendRatings(_ f: Finding, to v: inout [(String, JSON)]) {
        if !f.vendorSeverity.isEmpty {
            v.append(("VendorSeverity", .object(f.vendorSeverity.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value.rawValue)) })))
        }
        if !f.cvss.isEmpty {
            v.append(("CVSS", .object(f.cvss.sorted { $0.source < $1.source }.map { c in
                var o: [(String, JSON)] = []
                // Trivy's dbTypes.CVSS field order: vectors, then scores; v4.0 after v3.
                if let x = c.v2Vector { o.append(("V2Vector", .string(x))) }
                if let x = c.v3Vector { o.append(("V3Vector", .string(x))) }
                if let x = c.v40Vector { o.append(("V40Vector", .string(x))) }
                if let x = c.v2Score { o.append(("V2Score", .double(x))) }
                if let x = c.v3Score { o.append(("V3Score", .double(x))) }
                if let x = c.v40Score { o.append(("V40Score", .double(x))) }
                return (c.source, .object(o))
            })))
        }
    }
}
