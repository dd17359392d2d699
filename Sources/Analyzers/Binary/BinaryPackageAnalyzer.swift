import ContainerImage

/// Go and Rust binaries in the image (``ExecutableSampler``, ``ELFSampleReader``): each binary
/// with build info becomes one application (`gobinary` with `stdlib`, or `rustbinary`) whose
/// target is the binary's path. Binaries a package manager installed are skipped, as Trivy
/// skips system-installed files.
public struct BinaryPackageAnalyzer: InventoryAnalyzer {
    public init() {}

    public var name: String { "binary-packages" }

    public var request: FileRequest { FileRequest(samplers: [PackageOwnership.DpkgListSampler(), ExecutableSampler()]) }

    public func analyze(_ fs: any FileSystemView, into inventory: inout Inventory) throws {
        let samples = try fs.sampledFiles()
        var ownership: PackageOwnership?
        for file in samples where !file.bytes.isEmpty && !file.path.hasPrefix(PackageOwnership.DpkgListSampler.directory) {
            let sample = PackageSample(decoding: file.bytes)
            // Only this analyzer's samples: other samplers' files (a refused `php`) are not ours.
            guard let format = sample.format, format == .gobinary || format == .rustbinary else { continue }
            if ownership == nil { ownership = try PackageOwnership(fs, samples: samples) }
            if ownership?.owns(file.path) == true { continue }
            let prefix = file.layer.map { "layer \($0 + 1): " } ?? ""
            inventory.warnings += sample.warnings.map { prefix + $0 }
            let packages = sample.packages.map {
                InstalledPackage.language(format, name: $0.name, version: $0.version, path: file.path, layer: file.layer)
            }
            if !packages.isEmpty { inventory.applications.append(Application(type: format, filePath: file.path, packages: LanguageAnalyzer.sorted(packages))) }
        }
        inventory.applications.sort { ($0.type.rawValue, $0.filePath) < ($1.type.rawValue, $1.filePath) }
    }
}
