import JSONValue

/// Reads a CycloneDX (1.4–1.6) or SPDX 2.3 JSON document into the inventory an image scan
/// would have produced: the OS (from an `operating-system` component or package, else from the
/// `distro` qualifier of `pkg:deb|rpm|apk` purls), OS packages with their source package (from
/// the properties Vigil and Trivy write; the binary package otherwise), language packages
/// grouped per lockfile or kind as the original results were, and software installed without a
/// package manager (`pkg:generic/…`, `pkg:wordpress-plugin/…`). Components without a purl, or
/// with a purl type Vigil does not match, are counted in one warning.
public enum SBOMDecoder {
    /// The document kinds (Trivy's `ArtifactType` for each).
    public enum Format: String, Sendable {
        case cyclonedx
        case spdx
    }

    /// The documents larger than this are refused (an SBOM of a big image is a few MiB).
    public static let maxFileSize = 256 << 20

    /// Decodes `bytes`; `path` names the file in errors, which also give the JSON path.
    public static func decode(_ bytes: [UInt8], path: String) throws -> (Inventory, Format) {
        let root = try LockfileJSON.object(bytes, path: path)
        if root["bomFormat"]?.stringValue == "CycloneDX" {
            let spec = root["specVersion"]?.stringValue ?? ""
            guard ["1.4", "1.5", "1.6"].contains(spec) else {
                throw AnalyzerError(file: path, "$.specVersion: CycloneDX '\(spec)' is not supported (1.4, 1.5, 1.6)")
            }
            let (components, os, skipped) = try CycloneDXComponents.read(root, path: path)
            return (try build(components, os: os, skipped: skipped, path: path), .cyclonedx)
        }
        if let version = root["spdxVersion"]?.stringValue {
            guard version == "SPDX-2.3" || version == "SPDX-2.2" else {
                throw AnalyzerError(file: path, "$.spdxVersion: '\(version)' is not supported (SPDX-2.3)")
            }
            let (components, os, skipped) = try SPDXPackages.read(root, path: path)
            return (try build(components, os: os, skipped: skipped, path: path), .spdx)
        }
        throw AnalyzerError(file: path, "$: neither a CycloneDX document (bomFormat) nor an SPDX document (spdxVersion)")
    }

    static func build(_ components: [SBOMComponent], os declared: OperatingSystem?, skipped: Int, path: String) throws -> Inventory {
        var os = declared
        var packages: [InstalledPackage] = []
        var apps: [String: Application] = [:]
        var unmanaged: [UnmanagedSoftware] = []
        var unknown = skipped
        for c in components {
            let purl = c.purl
            switch purl.type {
            case "deb", "apk", "rpm":
                if os == nil, let distro = purl.qualifiers["distro"] { os = operatingSystem(purl, distro: distro) }
                packages.append(try osPackage(c, path: path))
            case "generic", "wordpress-plugin", "wordpress-theme":
                guard let version = purl.version ?? c.version,
                      let software = UnmanagedSoftware.fromPackageURL(purl, version: version, path: c.properties["FilePath"] ?? "") else {
                    unknown += 1
                    continue
                }
                unmanaged.append(software)
            default:
                guard let format = languageFormat(c) else { unknown += 1; continue }
                guard let version = purl.version ?? c.version, !version.isEmpty else {
                    throw AnalyzerError(file: path, "\(c.location): \(purl.type) package '\(purl.name)' has no version")
                }
                let name = languageName(c, format: format)
                let filePath = c.properties["FilePath"] ?? ""
                let individual = format.isIndividualPackage
                let key = format.rawValue + "\u{0}" + (individual ? "" : filePath)
                let pkg = InstalledPackage.language(format, name: name, version: version, path: individual ? filePath : (filePath.isEmpty ? format.rawValue : filePath), layer: nil)
                apps[key, default: Application(type: format, filePath: individual ? "" : pkg.databasePath, packages: [])].packages.append(pkg)
            }
        }
        if let found = os, let date = EndOfLifeTable.date(family: found.family, release: found.advisoryRelease) {
            os?.endOfLifeDate = date
            os?.endOfLife = EndOfLifeTable.isPast(date)
        }
        packages.sort { ($0.name, $0.version, $0.arch ?? "") < ($1.name, $1.version, $1.arch ?? "") }
        var inventory = Inventory(os: os, packages: packages, applications: apps.values.map {
            Application(type: $0.type, filePath: $0.filePath, packages: LanguageAnalyzer.sorted($0.packages))
        }.sorted { ($0.type.rawValue, $0.filePath) < ($1.type.rawValue, $1.filePath) })
        inventory.unmanaged = unmanaged.sorted { ($0.path, $0.name) < ($1.path, $1.name) }
        if unknown > 0 {
            inventory.warnings.append("\(path): \(unknown) component\(unknown == 1 ? " has" : "s have") no package URL of a kind Vigil matches (deb, apk, rpm, pypi, golang, cargo, npm, gem, composer, maven, generic): not scanned")
        }
        return inventory
    }

    /// `distro=debian-12.5` (deb, rpm) or `distro=3.10.4` with the namespace as family (apk).
    static func operatingSystem(_ purl: ParsedPackageURL, distro: String) -> OperatingSystem? {
        if purl.type == "apk" { return purl.namespace.map { OperatingSystem(family: $0, name: distro) } }
        guard let dash = distro.lastIndex(of: "-") else { return nil }
        return OperatingSystem(family: String(distro[..<dash]), name: String(distro[distro.index(after: dash)...]))
    }

    /// An OS package: the purl's version (release included, epoch as a qualifier), the source
    /// package from `SrcName`/`SrcVersion`/`SrcRelease`/`SrcEpoch` when given (else the binary
    /// package itself, as Trivy fills it).
    static func osPackage(_ c: SBOMComponent, path: String) throws -> InstalledPackage {
        let purl = c.purl
        guard let bare = purl.version ?? c.version, !bare.isEmpty else {
            throw AnalyzerError(file: path, "\(c.location): \(purl.type) package '\(purl.name)' has no version")
        }
        let format: PackageFormat = purl.type == "deb" ? .dpkg : purl.type == "apk" ? .apk : .rpm
        let epoch = purl.qualifiers["epoch"].flatMap { Int($0) }
        func join(_ epoch: Int?, _ version: String, _ release: String?) -> String {
            (epoch.map { $0 != 0 ? "\($0):" : "" } ?? "") + version + (release.map { "-" + $0 } ?? "")
        }
        var upstream = bare, release: String?
        if format != .apk, let dash = bare.lastIndex(of: "-") {
            upstream = String(bare[..<dash])
            release = String(bare[bare.index(after: dash)...])
        }
        let version = join(epoch, bare, nil)
        let sourceName = c.properties["SrcName"] ?? purl.name
        var sourceVersion = version
        if let srcVersion = c.properties["SrcVersion"] {
            sourceVersion = format == .apk ? srcVersion : join(c.properties["SrcEpoch"].flatMap { Int($0) }, srcVersion, c.properties["SrcRelease"])
        }
        return InstalledPackage(format: format, name: c.name ?? purl.name, version: version, epoch: epoch, upstreamVersion: format == .apk ? bare : upstream,
                                release: format == .apk ? nil : release, arch: purl.qualifiers["arch"], sourceName: sourceName,
                                sourceVersion: sourceVersion, databasePath: "")
    }

    /// The language format: the component's `PkgType` when it is one for the purl's ecosystem
    /// (`poetry`, `yarn`), else the purl type's usual one.
    static func languageFormat(_ c: SBOMComponent) -> PackageFormat? {
        let byPurl: PackageFormat?
        switch c.purl.type {
        case "pypi": byPurl = .pythonPackage
        case "golang": byPurl = .gomod
        case "cargo": byPurl = .cargo
        case "npm": byPurl = .npm
        case "gem": byPurl = .bundler
        case "composer": byPurl = .composer
        case "maven": byPurl = .pom
        case "nuget": byPurl = .nuget
        case "conda": byPurl = .condaPackage
        default: byPurl = nil
        }
        guard let byPurl else { return nil }
        if let declared = c.properties["PkgType"].flatMap(PackageFormat.init(rawValue:)),
           declared.languageEcosystem != nil, declared.languageEcosystem == byPurl.languageEcosystem {
            return declared
        }
        return byPurl
    }

    /// The ecosystem's own spelling: `@scope/name`, `group:artifact`, `vendor/name`, a Go module
    /// path; PyPI keeps the component's name (`PyYAML`) when it normalises to the purl's.
    static func languageName(_ c: SBOMComponent, format: PackageFormat) -> String {
        let purl = c.purl
        switch purl.type {
        case "maven": return purl.namespace.map { "\($0):\(purl.name)" } ?? purl.name
        case "npm", "composer", "golang": return purl.namespace.map { "\($0)/\(purl.name)" } ?? purl.name
        case "pypi":
            if let name = c.name, folded(name) == folded(purl.name) { return name }
            return purl.name
        default: return purl.name
        }
    }

    /// Lower-cased with `_` and `.` as `-`: enough to tell that a purl's `pyyaml` is the
    /// component's `PyYAML` (the purl spec's PyPI rule).
    static func folded(_ name: String) -> String {
        String(name.lowercased().map { $0 == "_" || $0 == "." ? "-" : $0 })
    }
}
