/// The language metadata files an image's installed packages leave behind, recognised by path as
/// Trivy's analyzers recognise them, each with the largest size Vigil reads.
enum InstalledMetadataKind: CaseIterable, Sendable {
    /// Any `package.json` (Trivy's `node-pkg` reads every one: `node_modules/**`, Debian's
    /// `/usr/share/nodejs/*`, an application's own).
    case nodePackageJSON
    /// `…/specifications/*.gemspec`.
    case gemspec
    /// `…/composer/installed.json` (Composer writes it to `vendor/composer/`).
    case composerInstalled
    /// `*.deps.json`.
    case dotnetDeps
    /// `packages.lock.json`.
    case nugetLock
    /// `packages.config`.
    case nugetConfig
    /// `…/conda-meta/<name>-<version>-<build>.json`.
    case condaMeta

    /// The package format (Trivy `Type`) the file's packages get.
    var format: PackageFormat {
        switch self {
        case .nodePackageJSON: .nodePackage
        case .gemspec: .gemspec
        case .composerInstalled: .composerVendor
        case .dotnetDeps: .dotnetCore
        case .nugetLock, .nugetConfig: .nuget
        case .condaMeta: .condaPackage
        }
    }

    /// The largest file read. Installed `package.json` files reach a few hundred KiB when npm
    /// embedded the README; records of whole trees (installed.json, deps.json, lockfiles) a few
    /// MiB for very large applications; conda records carry their file list.
    var maxFileSize: Int {
        switch self {
        case .nodePackageJSON: 8 << 20
        case .gemspec: 1 << 20
        case .composerInstalled, .dotnetDeps, .nugetLock: 64 << 20
        case .nugetConfig: 16 << 20
        case .condaMeta: 32 << 20
        }
    }

    /// The kind of a cleaned root-relative path, or nil. It runs for every file of every layer:
    /// the last byte rules out nearly all paths before any string work.
    static func of(_ path: String) -> InstalledMetadataKind? {
        guard let last = path.utf8.last else { return nil }
        switch last {
        case UInt8(ascii: "n"), UInt8(ascii: "c"), UInt8(ascii: "g"): break
        default: return nil
        }
        let utf8 = path.utf8
        let slash = utf8.lastIndex(of: UInt8(ascii: "/"))
        let base = slash.map { Substring(utf8[utf8.index(after: $0)...]) } ?? path[...]
        var parentName: Substring {
            guard let slash else { return "" }
            let parent = path[..<slash]
            return parent.lastIndex(of: "/").map { parent[parent.index(after: $0)...] } ?? parent
        }
        switch last {
        case UInt8(ascii: "c"):
            return base.utf8.count > 8 && base.hasSuffix(".gemspec") && parentName == "specifications" ? .gemspec : nil
        case UInt8(ascii: "g"):
            return base == "packages.config" ? .nugetConfig : nil
        default:
            guard base.hasSuffix(".json") else { return nil }
            if base == "package.json" { return .nodePackageJSON }
            if base == "packages.lock.json" { return .nugetLock }
            if base == "installed.json" { return parentName == "composer" ? .composerInstalled : nil }
            if base.utf8.count > 10, base.hasSuffix(".deps.json") { return .dotnetDeps }
            if parentName == "conda-meta", isCondaRecordName(base) { return .condaMeta }
            return nil
        }
    }

    /// `<name>-<version>-<build>.json`: at least two dashes with text around each (Trivy's
    /// `.+-.+-.+\.json`), which leaves out conda's `history` and other files there.
    static func isCondaRecordName(_ base: Substring) -> Bool {
        let stem = base.dropLast(5).utf8
        guard let first = stem.firstIndex(of: UInt8(ascii: "-")), first != stem.startIndex,
              let last = stem.lastIndex(of: UInt8(ascii: "-")), last != first,
              stem.index(after: last) != stem.endIndex, stem.index(after: first) != last else { return false }
        return true
    }

    /// Parses a whole file of this kind.
    func parse(_ bytes: [UInt8]) throws(InstalledMetadataProblem) -> [InstalledMetadataSample.Package] {
        switch self {
        case .nodePackageJSON: try NodePackageJSONParser.parse(bytes)
        case .gemspec: try GemspecParser.parse(bytes)
        case .composerInstalled: try ComposerInstalledParser.parse(bytes)
        case .dotnetDeps: try DotNetDepsParser.parse(bytes)
        case .nugetLock: try NuGetLockParser.parse(bytes)
        case .nugetConfig: try NuGetPackagesConfigParser.parse(bytes)
        case .condaMeta: try CondaMetaParser.parse(bytes)
        }
    }
}
