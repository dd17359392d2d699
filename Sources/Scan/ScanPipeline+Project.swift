import Analyzers
import ContainerImage
import SystemIO
import VigilCore

extension ScanPipeline {
    /// `vigil fs PATH`: the analyzers of a root filesystem plus every project lockfile, as Trivy's
    /// `fs` (which reads lockfiles and leaves installed-package metadata, such as Python's
    /// `*.dist-info`, to `rootfs` and `image`). PATH may be one lockfile: its directory is read
    /// and only that file reported.
    static func analyzeProject(_ path: String) throws -> Inventory {
        guard let kind = FileKind(path: path, followLinks: true) else {
            throw ScanPipelineError(.input, "\(path): no such file or directory")
        }
        var root = path, only: String?
        if kind != .directory {
            let (parent, name) = ArchivePath.split(path)
            root = parent.isEmpty ? (path.hasPrefix("/") ? "/" : ".") : parent
            only = name
        }
        let fs = try DirectoryFileSystem(root: root, request: InventoryBuilder.request.merging(LockfileAnalyzer.project.request))
        var inventory = try analyze(fs, input: path)
        do {
            // composer.lock is already read by the image analyzers (LockfileAnalyzer.installed).
            let remaining = LockfileAnalyzer.project.formats.subtracting(LockfileAnalyzer.installed.formats)
            try LockfileAnalyzer(formats: remaining).analyze(fs, into: &inventory)
        } catch let error as AnalyzerError {
            throw ScanPipelineError(.input, "\(path): \(error)")
        } catch let error as ContainerImageError where !error.message.hasPrefix(root) {
            throw ScanPipelineError(.input, "\(path): \(error)")
        }
        inventory.applications.removeAll { $0.type.isIndividualPackage }
        if let only {
            // One file: its packages only, not the directory's OS or other files.
            let applications = inventory.applications.filter { $0.filePath == only }
            let warnings = inventory.warnings.filter { $0.hasPrefix(only + ":") }
            inventory = Inventory(os: nil, packages: [], applications: applications)
            inventory.warnings = warnings
            guard !applications.isEmpty else {
                throw ScanPipelineError(.input, "\(path): not a lockfile vigil fs reads, or it lists no package")
            }
        }
        return inventory
    }
}
