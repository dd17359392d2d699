import ContainerImage

/// Java archives in the image (``JarSampler``, ``JarInspector``): every artifact found becomes a
/// `jar` package whose path is the archive it was found in (`app.war/WEB-INF/lib/x.jar` for a
/// nested one), gathered into one application with Trivy's target `Java`. Archives a package manager
/// installed are skipped, as Trivy skips system-installed files.
public struct JavaArchiveAnalyzer: InventoryAnalyzer {
    public init() {}

    public var name: String { "jar" }

    public var request: FileRequest { FileRequest(samplers: [PackageOwnership.DpkgListSampler(), JarSampler()]) }

    public func analyze(_ fs: any FileSystemView, into inventory: inout Inventory) throws {
        var packages: [InstalledPackage] = []
        let samples = try fs.sampledFiles()
        var ownership: PackageOwnership?
        for file in samples where JarSampler.isArchive(file.path) {
            let sample = PackageSample(decoding: file.bytes)
            guard sample.format == .jar else { continue }
            // Archives a package manager installed are its packages, not the application's (Trivy).
            if ownership == nil { ownership = try PackageOwnership(fs, samples: samples) }
            if ownership?.owns(file.path) == true { continue }
            let prefix = file.layer.map { "layer \($0 + 1): " } ?? ""
            inventory.warnings += sample.warnings.map { prefix + $0 }
            packages += sample.packages.map {
                InstalledPackage.language(.jar, name: $0.name, version: $0.version, path: $0.path, layer: file.layer)
            }
        }
        guard !packages.isEmpty else { return }
        inventory.applications.append(Application(type: .jar, filePath: "", packages: LanguageAnalyzer.sorted(packages)))
        inventory.applications.sort { ($0.type.rawValue, $0.filePath) < ($1.type.rawValue, $1.filePath) }
    }
}
