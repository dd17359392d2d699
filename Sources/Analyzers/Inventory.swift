import Foundation
import ContainerImage

/// Everything the analyzers found in one filesystem.
public struct Inventory: Sendable {
    public var os: OperatingSystem?
    /// OS packages, sorted by name then version.
    public var packages: [InstalledPackage]
    /// Language packages, one entry per lockfile (or per kind of installed metadata), sorted by
    /// type then path.
    public var applications: [Application]
    /// Software installed without a package manager (WordPress, programs built from source),
    /// sorted by evidence path.
    public var unmanaged: [UnmanagedSoftware] = []
    /// Things an analyzer could not read but that do not stop the scan (a `version.php` that is
    /// code rather than a literal), one line each, for stderr.
    public var warnings: [String] = []

    public init(os: OperatingSystem?, packages: [InstalledPackage], applications: [Application] = []) {
        self.os = os
        self.packages = packages
        self.applications = applications
    }

    /// The package manager of most packages (an image has one).
    public var packageFormat: PackageFormat? { packages.first?.format }
}

/// Runs every analyzer over a filesystem view.
public enum InventoryBuilder {
    /// The union of the files every analyzer reads: pass it to the image loader.
    public static var request: FileRequest {
        OSDetector.request.merging(DpkgAnalyzer.request).merging(ApkAnalyzer.request).merging(RpmAnalyzer.request)
            .merging(LanguageAnalyzer.request)
            .merging(plugins.reduce(FileRequest()) { $0.merging($1.request) })
    }

    /// Analyzers that run after the OS, package and language analyzers, in order. The
    /// environment variable `VIGIL_SKIP_ANALYZERS` (comma-separated names) leaves some out: a
    /// diagnostic, and the A/B switch of Benchmarks/unmanaged-bench.sh.
    public static let plugins: [any InventoryAnalyzer] = {
        let skipped = Set((ProcessInfo.processInfo.environment["VIGIL_SKIP_ANALYZERS"] ?? "").split(separator: ",").map(String.init))
        // Language analyzers first: the unmanaged-software analyzer skips every file they claimed.
        let all: [any InventoryAnalyzer] = [LockfileAnalyzer.installed, InstalledLanguageAnalyzer(), JavaArchiveAnalyzer(),
                                            BinaryPackageAnalyzer(), UnmanagedSoftwareAnalyzer()]
        return all.filter { !skipped.contains($0.name) }
    }()

    /// Detects the OS and reads the package databases.
    public static func build(_ fs: any FileSystemView) throws -> Inventory {
        let os = try OSDetector.detect(fs)
        var packages = try DpkgAnalyzer.analyze(fs)
        packages += try ApkAnalyzer.analyze(fs)
        packages += try RpmAnalyzer.analyze(fs)
        packages.sort { ($0.name, $0.version, $0.arch ?? "") < ($1.name, $1.version, $1.arch ?? "") }
        var inventory = Inventory(os: os, packages: packages, applications: try LanguageAnalyzer.analyze(fs))
        // Plug-ins share one pass over the sampled files (a root directory streams them per call);
        // an image's layers were sampled while loading and name their layers in warnings.
        let shared: any FileSystemView = fs is LayeredFileSystem ? fs : SampleCachingView(fs)
        for plugin in plugins { try plugin.analyze(shared, into: &inventory) }
        return inventory
    }
}
