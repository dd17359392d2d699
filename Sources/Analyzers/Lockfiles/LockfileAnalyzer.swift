import ContainerImage
import JSONValue

/// The lockfiles and build files of Node, Ruby, PHP and Java projects, each a Trivy result target
/// (one ``Application`` per file). Which are read depends on the scan, as in Trivy: an image or
/// root filesystem is a built artifact, so only `composer.lock` is read there (Trivy's image and
/// rootfs scans read it too); `vigil fs` reads them all. Lockfiles inside `node_modules` belong
/// to installed packages, not to the project, and are skipped.
public struct LockfileAnalyzer: InventoryAnalyzer {
    /// The formats read.
    public let formats: Set<PackageFormat>

    /// Reads the files of `formats` (a subset of ``projectFormats``).
    public init(formats: Set<PackageFormat>) { self.formats = formats }

    /// What Trivy reads in images and root filesystems.
    public static let installed = LockfileAnalyzer(formats: [.composer])
    /// Every format this analyzer knows, for project trees (`vigil fs`).
    public static let project = LockfileAnalyzer(formats: [.npm, .yarn, .pnpm, .bundler, .composer, .pom, .gradle])

    public var name: String { "lockfiles" }

    /// Build files and lockfiles of big projects reach tens of MiB; a larger one is an error
    /// naming it, not a memory hazard.
    public static let maxFileSize = 64 << 20

    static func patterns(_ format: PackageFormat) -> [FileNamePattern] {
        switch format {
        case .npm: [FileNamePattern(name: "package-lock.json")]
        case .yarn: [FileNamePattern(name: "yarn.lock")]
        case .pnpm: [FileNamePattern(name: "pnpm-lock.yaml")]
        case .bundler: [FileNamePattern(name: "Gemfile.lock")]
        case .composer: [FileNamePattern(name: "composer.lock")]
        case .pom: [FileNamePattern(name: "pom.xml")]
        // `gradle.lockfile` and per-configuration ones (`buildscript-gradle.lockfile`), as Trivy's `*gradle.lockfile`.
        case .gradle: [FileNamePattern(name: "gradle.lockfile"), FileNamePattern(name: "gradle.lockfile", nameIsSuffix: true)]
        default: []
        }
    }

    var patterns: [FileNamePattern] { formats.sorted { $0.rawValue < $1.rawValue }.flatMap(Self.patterns) }

    public var request: FileRequest { FileRequest(names: Set(patterns), maxFileSize: Self.maxFileSize) }

    public func analyze(_ fs: any FileSystemView, into inventory: inout Inventory) throws {
        let found = try fs.files(matching: patterns)
        var apps: [Application] = []
        var warnings: [String] = []
        for file in found {
            guard let format = formats.sorted(by: { $0.rawValue < $1.rawValue }).first(where: { Self.patterns($0).contains { $0.matches(file.path) } }) else { continue }
            if ArchivePath.split(file.path).parent.split(separator: "/").contains("node_modules") { continue }
            var manifest: JSON?
            if format == .yarn {
                // The package.json beside yarn.lock tells development dependencies apart.
                let (parent, _) = ArchivePath.split(file.path)
                if let found = try fs.file(at: parent.isEmpty ? "package.json" : parent + "/package.json") {
                    manifest = try LockfileJSON.object(found.bytes, path: found.path)
                }
            }
            let packages = try Self.parse(format, file, manifest: manifest) { warnings.append($0) }
            if !packages.isEmpty {
                apps.append(Application(type: format, filePath: file.path, packages: LanguageAnalyzer.sorted(packages)))
            }
        }
        inventory.applications = (inventory.applications + apps).sorted { ($0.type.rawValue, $0.filePath) < ($1.type.rawValue, $1.filePath) }
        inventory.warnings += warnings
    }

    static func parse(_ format: PackageFormat, _ file: FoundFile, manifest: JSON? = nil, warn: (String) -> Void) throws -> [InstalledPackage] {
        let (bytes, path, layer) = (file.bytes, file.path, file.layer)
        switch format {
        case .npm: return try NpmLockParser.parse(bytes, path: path, layer: layer)
        case .yarn: return try YarnLockParser.parse(bytes, path: path, layer: layer, manifest: manifest, warn: warn)
        case .pnpm: return try PnpmLockParser.parse(bytes, path: path, layer: layer)
        case .bundler: return try GemfileLockParser.parse(bytes, path: path, layer: layer)
        case .composer: return try ComposerLockParser.parse(bytes, path: path, layer: layer)
        case .pom: return try PomParser.parse(bytes, path: path, layer: layer, warn: warn)
        case .gradle: return try GradleLockParser.parse(bytes, path: path, layer: layer)
        default: return []
        }
    }
}
