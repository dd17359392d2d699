/// Which package manager installed a package (or which file listed it); decides the version
/// scheme, the advisory ecosystem and the PURL type. Raw values of the language formats are
/// Trivy's `Type` names.
public enum PackageFormat: String, Sendable, Codable {
    case dpkg, apk, rpm
    /// Installed Python distributions (`*.dist-info/METADATA`, `*.egg-info`).
    case pythonPackage = "python-pkg"
    /// `requirements.txt` pins.
    case pip
    /// `Pipfile.lock`.
    case pipenv
    /// `poetry.lock`.
    case poetry
    /// `go.mod` (and `go.sum` for modules before Go 1.17).
    case gomod
    /// `Cargo.lock`.
    case cargo
    /// `package-lock.json`.
    case npm
    /// `yarn.lock` (classic and berry).
    case yarn
    /// `pnpm-lock.yaml`.
    case pnpm
    /// `Gemfile.lock`.
    case bundler
    /// `composer.lock`.
    case composer
    /// `pom.xml` (declared versions only).
    case pom
    /// `gradle.lockfile`.
    case gradle
    /// Installed Node.js packages (every `package.json` with a name and version).
    case nodePackage = "node-pkg"
    /// Installed Ruby gems (`specifications/*.gemspec`).
    case gemspec
    /// Composer's record of a PHP vendor tree (`vendor/composer/installed.json`).
    case composerVendor = "composer-vendor"
    /// A .NET application's `*.deps.json` (its NuGet packages).
    case dotnetCore = "dotnet-core"
    /// NuGet's `packages.lock.json` and `packages.config`.
    case nuget
    /// Installed conda packages (`conda-meta/<name>-<version>-<build>.json`).
    case condaPackage = "conda-pkg"
    /// Software no package manager installed (``UnmanagedSoftware``), Trivy's `custom` class;
    /// the package's `sourceName` holds its kind (`wordpress-plugin`, `binary`).
    case unmanaged = "custom"
    /// Java archives (`.jar/.war/.ear/.par`, nested ones included), named `groupId:artifactId`.
    case jar
    /// Go binaries' embedded build info: module paths, and the toolchain as `stdlib`.
    case gobinary
    /// Rust binaries built with cargo-auditable (the `.dep-v0` section).
    case rustbinary

    /// The OSV ecosystem of a language format (`PyPI`, `Go`, `crates.io`); nil for OS packages.
    public var languageEcosystem: String? {
        switch self {
        case .dpkg, .apk, .rpm, .unmanaged: nil
        case .pythonPackage, .pip, .pipenv, .poetry: "PyPI"
        case .gomod: "Go"
        case .cargo: "crates.io"
        case .npm, .yarn, .pnpm: "npm"
        case .bundler: "RubyGems"
        case .composer: "Packagist"
        case .pom, .gradle: "Maven"
        case .nodePackage: "npm"
        case .gemspec: "RubyGems"
        case .composerVendor: "Packagist"
        case .dotnetCore, .nuget: "NuGet"
        case .jar: "Maven"
        case .gobinary: "Go"
        case .rustbinary: "crates.io"
        // No advisory feed covers conda's own package names (Trivy matches none either).
        case .condaPackage: nil
        }
    }

    /// Whether the format lists language packages (a language analyzer's), even one without an
    /// advisory ecosystem (conda).
    public var isLanguagePackage: Bool {
        switch self {
        case .dpkg, .apk, .rpm, .unmanaged: false
        default: true
        }
    }

    /// Whether each package is its own file (installed metadata), so Trivy reports them together
    /// under the language's name with a per-package `FilePath`, rather than one result per file.
    public var isIndividualPackage: Bool {
        self == .pythonPackage || self == .nodePackage || self == .gemspec || self == .condaPackage || self == .jar
    }
}

/// One installed OS package as its package database records it.
public struct InstalledPackage: Sendable, Hashable {
    public var format: PackageFormat
    public var name: String
    /// Full version as the package manager prints it (`1:2.3-4`, `1.1.1c-r0`, `1:1.0.2k-16.el7`).
    public var version: String
    public var epoch: Int?
    /// Version without epoch and release (`2.3`), as Trivy's `Version` field.
    public var upstreamVersion: String
    /// dpkg revision or rpm release; nil when there is none (apk keeps `-rN` in the version).
    public var release: String?
    public var arch: String?
    /// Source package name (dpkg `Source:`, apk origin, SRPM name).
    public var sourceName: String
    /// Full source version (dpkg `Source: x (ver)`, SRPM version-release); equals `version` when not given.
    public var sourceVersion: String
    public var licenses: [String]
    public var maintainer: String?
    /// Index of the image layer that installed this version; nil for a root filesystem.
    public var layer: Int?
    /// The database file it was read from (`var/lib/dpkg/status`).
    public var databasePath: String

    public init(format: PackageFormat, name: String, version: String, epoch: Int? = nil, upstreamVersion: String,
                release: String? = nil, arch: String? = nil, sourceName: String, sourceVersion: String,
                licenses: [String] = [], maintainer: String? = nil, layer: Int? = nil, databasePath: String) {
        self.format = format
        self.name = name
        self.version = version
        self.epoch = epoch
        self.upstreamVersion = upstreamVersion
        self.release = release
        self.arch = arch
        self.sourceName = sourceName
        self.sourceVersion = sourceVersion
        self.licenses = licenses
        self.maintainer = maintainer
        self.layer = layer
        self.databasePath = databasePath
    }

    /// `name@version`, Trivy's PkgID (`group:artifact:version` for Maven, as Trivy writes it).
    public var id: String { format == .jar ? "\(name):\(version)" : "\(name)@\(version)" }
}
