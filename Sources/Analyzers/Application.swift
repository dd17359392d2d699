/// Language packages found through one file (a lockfile), or all installed packages of one kind
/// (Python's `*.dist-info`), as Trivy groups them into one result.
public struct Application: Sendable, Hashable {
    /// `pip`, `poetry`, `cargo`, `python-pkg`… (Trivy's `Type`).
    public var type: PackageFormat
    /// The lockfile's root-relative path; for individual packages, "" (each package's own
    /// `databasePath` says where it was found).
    public var filePath: String
    /// Sorted by name then version; each package's `databasePath` is the file that listed it.
    public var packages: [InstalledPackage]

    public init(type: PackageFormat, filePath: String, packages: [InstalledPackage]) {
        self.type = type
        self.filePath = filePath
        self.packages = packages
    }

    /// Trivy's target name: the file path, or the language for individual packages (`Python`).
    public var target: String {
        switch type {
        case .pythonPackage: "Python"
        case .nodePackage: "Node.js"
        case .gemspec: "Ruby"
        case .condaPackage: "Conda"
        case .jar: "Java"
        default: filePath
        }
    }
}

extension InstalledPackage {
    /// A language package: name and version as the file spells them, found in `path`.
    static func language(_ format: PackageFormat, name: String, version: String, path: String, layer: Int?,
                         licenses: [String] = []) -> InstalledPackage {
        InstalledPackage(format: format, name: name, version: version, upstreamVersion: version, sourceName: name,
                         sourceVersion: version, licenses: licenses, layer: layer, databasePath: path)
    }
}
