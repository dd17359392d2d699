import ContainerImage

/// Language packages installed in an image, as Trivy's image analyzers find them: Node.js
/// `package.json` files, Ruby gemspecs and conda records (one `Node.js`, `Ruby`, `Conda` result
/// each, every package with its own `PkgPath`), Composer's `installed.json`, .NET `*.deps.json`,
/// NuGet's `packages.lock.json` and `packages.config` (one result per file). Files a package
/// manager installed (dpkg lists, apk's database) are left out, as Trivy leaves them: Debian's
/// `node-*` packages carry upstream version numbers that their patches make meaningless.
/// A file that cannot be read is a one-line warning naming its layer and path.
public struct InstalledLanguageAnalyzer: InventoryAnalyzer {
    public init() {}

    public var name: String { "installed-language" }

    public var request: FileRequest {
        FileRequest(samplers: [PackageOwnership.DpkgListSampler(), InstalledMetadataSampler()])
    }

    public func analyze(_ fs: any FileSystemView, into inventory: inout Inventory) throws {
        let samples = try fs.sampledFiles()
        let ownership = try PackageOwnership(fs, samples: samples)
        var individual: [PackageFormat: [InstalledPackage]] = [:]
        var applications: [Application] = []
        for file in samples {
            guard let kind = InstalledMetadataKind.of(file.path), !ownership.owns(file.path) else { continue }
            guard let sample = InstalledMetadataSample(decoding: file.bytes) else {
                inventory.warnings.append("\(Self.location(file, fs)): unreadable metadata sample (stale layer cache?); skipped")
                continue
            }
            if let problem = sample.problem {
                inventory.warnings.append("\(Self.location(file, fs)): \(problem)")
                continue
            }
            let packages = sample.packages.map {
                InstalledPackage.language(kind.format, name: $0.name, version: $0.version, path: file.path, layer: file.layer,
                                          licenses: $0.licenses)
            }
            if kind.format.isIndividualPackage {
                individual[kind.format, default: []] += packages
            } else if !packages.isEmpty {
                applications.append(Application(type: kind.format, filePath: file.path, packages: LanguageAnalyzer.sorted(packages)))
            }
        }
        for (format, packages) in individual where !packages.isEmpty {
            applications.append(Application(type: format, filePath: "", packages: LanguageAnalyzer.sorted(packages)))
        }
        inventory.applications += applications
        inventory.applications.sort { ($0.type.rawValue, $0.filePath) < ($1.type.rawValue, $1.filePath) }
    }

    /// `path (layer 3, sha256:…)`: the layer as the image loader names it, when there is one.
    static func location(_ file: FoundFile, _ fs: any FileSystemView) -> String {
        guard let layer = file.layer else { return file.path }
        if let layered = fs as? LayeredFileSystem, layered.layerNames.indices.contains(layer) {
            return "\(file.path) (layer \(layer + 1), \(layered.layerNames[layer]))"
        }
        return "\(file.path) (layer \(layer + 1))"
    }
}
