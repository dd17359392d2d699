import Analyzers
import ContainerImage
import Foundation
import Registry
import Report
import Scanner
import VulnDB
import VigilCore

/// One scan from source to result model, as trivy's `pkg/scan`: load (or pull) the image or
/// root filesystem, run the analyzers, check the image's Dockerfile history, match the inventory
/// against the database, filter, and classify. The caller renders the outcome
/// (`ScanOutcome.render`) and prints the warnings it was handed.
public struct ScanPipeline: Sendable {
    /// What the scan looks for and keeps.
    public var configuration: ScanConfiguration
    /// The vulnerability database (opened read-only, only when something needs matching).
    public var databasePath: String

    /// A pipeline with `configuration` over the database at `databasePath`.
    public init(configuration: ScanConfiguration, databasePath: String) {
        self.configuration = configuration
        self.databasePath = databasePath
    }

    /// Scans `source`. `warn` receives each warning (one line, not yet escaped) as it is found,
    /// none when `configuration.quiet`.
    public func run(_ source: ScanSource, warn: @escaping @Sendable (String) -> Void) async throws -> ScanOutcome {
        switch source {
        case .imageArchive(let path):
            let loaded = try ImageLoader(request: InventoryBuilder.request, platform: configuration.platform).load(path: path)
            return try scan(image: loaded, name: path, warn: warn)
        case .registry(let reference):
            let loaded = try await pull(reference)
            return try scan(image: loaded, name: reference, warn: warn)
        case .rootfs(let path):
            let fs = try DirectoryFileSystem(root: path, request: InventoryBuilder.request)
            let inventory = try Self.analyze(fs, input: path)
            return try finish(artifactName: path, type: .filesystem, image: nil, inventory: inventory, warn: warn)
        case .filesystem(let path):
            return try finish(artifactName: path, type: .filesystem, image: nil, inventory: try Self.analyzeProject(path), osExpected: false, warn: warn)
        case .sbom(let path):
            let (inventory, type) = try Self.decodeSBOM(path)
            return try finish(artifactName: path, type: type, image: nil, inventory: inventory, osExpected: false, warn: warn)
        }
    }

    /// Runs the analyzers; their errors name files inside the image, so the image is named too.
    public static func analyze(_ fs: any FileSystemView, input: String) throws -> Inventory {
        do {
            return try InventoryBuilder.build(fs)
        } catch let error as AnalyzerError {
            throw ScanPipelineError(.input, "\(input): \(error)")
        } catch let error as ContainerImageError where !error.message.hasPrefix(input) {
            throw ScanPipelineError(.input, "\(input): \(error)")
        }
    }

    func scan(image loaded: Image, name: String, warn: @escaping (String) -> Void) throws -> ScanOutcome {
        let inventory = try Self.analyze(loaded.fileSystem, input: name)
        let summary = ImageSummary(loaded)
        let scanners = configuration.scanners
        let config = scanners.contains(.misconfig)
            ? try ImageConfigCheck(databasePath: databasePath, quiet: configuration.quiet, warn: warn).run(summary.config.value) : []
        return try finish(artifactName: name, type: .containerImage, image: summary, inventory: inventory,
                          config: config, matchPackages: scanners.contains(.vuln), warn: warn)
    }

    /// Warns when the database was built longer ago than the configured limit.
    func warnIfStale(_ database: VulnDatabase, warn: (String) -> Void) throws {
        guard !configuration.quiet, let limit = configuration.maxDatabaseAge else { return }
        let info = try database.info()
        guard let age = info.age(), age > limit.seconds else { return }
        warn("the vulnerability database was built \(DatabaseInfo.describe(age: age)) ago (\(info.builtAt), older than --db-max-age \(limit.text)); refresh it with `vigil db update`")
    }

    /// Matches, filters and classifies.
    /// `config`: Dockerfile checks of the image (`misconfig`), filtered here;
    /// `matchPackages` false skips the vulnerability scan (`misconfig` alone); `osExpected` false
    /// (project trees, SBOMs) warns about a missing OS only when OS packages were found.
    func finish(artifactName: String, type: ScanResult.ArtifactType, image: ImageSummary?, inventory: Inventory,
                config: [ConfigScanFindings] = [], matchPackages: Bool = true, osExpected: Bool = true,
                warn: (String) -> Void) throws -> ScanOutcome {
        let severities = configuration.severities
        let filter = FindingFilter(severities: severities, ignoreUnfixed: configuration.ignoreUnfixed, ignored: try configuration.ignoreFile.map(IgnoreFile.read) ?? IgnoreList())
        let wanted = configuration.categories
        var findings: [Finding] = []
        var suppressed: [SuppressedFinding] = []
        // Categories (JSON, the other formats, --category) come from the database's CWE catalogue.
        var classification: ScanClassifier?
        if matchPackages, inventory.os != nil || !inventory.applications.isEmpty {
            let database = try VulnDatabase(readOnlyPath: databasePath)
            try warnIfStale(database, warn: warn)
            if configuration.classify || !wanted.isEmpty {
                classification = try ScanClassifier(database: database, path: databasePath)
            }
            let matcher = VulnerabilityMatcher(database: database)
            let matched = try matcher.match(inventory)
            findings = filter.apply(matched)
            if configuration.showSuppressed {
                // What the ignore file hid, as Trivy lists it beside the VEX statements (`ignored`).
                let now = Date()
                var unignored = filter
                unignored.ignored = IgnoreList()
                suppressed = unignored.apply(matched, now: now).filter { filter.ignored.ignores($0.vulnerabilityID, now: now) }
                    .map { SuppressedFinding(finding: $0, status: "ignored", statement: "", source: configuration.ignoreFile ?? "") }
            }
            if let classification, !wanted.isEmpty {
                findings = CategoryFilter(categories: wanted, classifier: classification.classifier).apply(findings)
            }
            if !configuration.quiet {
                for entry in try matcher.gitOnlyAdvisories(inventory) {
                    warn("\(entry) gives only GIT commit ranges, which an installed version cannot be checked against: not matched")
                }
            }
        }
        // A project tree or an SBOM of language packages has no OS to miss.
        if !configuration.quiet { Self.warn(about: inventory, osExpected: osExpected || !inventory.packages.isEmpty, warn) }
        if !configuration.vexFiles.isEmpty {
            let (kept, byVEX) = VEXFilter(documents: try configuration.vexFiles.map { try VEXDocument(path: $0) }).apply(findings, os: inventory.os)
            findings = kept
            suppressed += byVEX
        }
        var result = ScanResult(artifactName: artifactName, artifactType: type, image: image, inventory: inventory, findings: findings)
        if configuration.showSuppressed { result.suppressed = suppressed }
        result.configFindings = config.map { $0.filtered(severities: severities, filter: filter) }
        return ScanOutcome(result: result, classification: classification)
    }

    /// What the inventory itself warns about: analyzer notes, a missing OS, an end-of-life OS.
    static func warn(about inventory: Inventory, osExpected: Bool = true, _ warn: (String) -> Void) {
        for w in inventory.warnings { warn(w) }
        guard let os = inventory.os else {
            if osExpected { warn("no OS release file found; OS packages cannot be matched against advisories") }
            return
        }
        if os.endOfLife {
            warn("\(os.family) \(os.name) reached end of support\(os.endOfLifeDate.map { " on \($0)" } ?? ""): its packages get no more security fixes")
        }
    }

    /// Pulls into the cache and builds the image from cached blobs (and cached layer analyses).
    func pull(_ reference: String) async throws -> Image {
        guard let access = configuration.registry else {
            throw ScanPipelineError(.input, "\(reference): pulling an image needs registry access")
        }
        let platform = configuration.platform
        let ref = try ImageReference(parsing: reference)
        let cacheRoot = access.cacheDirectory
        let cache = try BlobCache(root: cacheRoot)
        let client = RegistryClient(insecure: access.insecure, credentials: try access.credentials(ref.registry))
        var puller = ImagePuller(client: client, cache: cache, platform: platform)
        puller.confirmsCachedManifests = access.confirmsCachedManifests
        if let progress = access.progress {
            puller.progress = { index, count, done, total in progress.update(layer: index, of: count, done: done, total: total) }
        }
        let pulled: PulledImage
        do {
            pulled = try await puller.pull(ref)
            await client.shutdown()
        } catch {
            await client.shutdown()
            access.progress?.finish()
            throw error
        }
        access.progress?.finish()
        let loader = ImageLoader(request: InventoryBuilder.request, platform: platform)
        return try loader.loadBlobs(
            configBytes: pulled.configBytes, layerDigests: pulled.layerDigests, blobPath: cache.path(for:),
            tags: ref.repoTag.map { [$0] } ?? [], digests: [pulled.repoDigest], archive: reference, format: "registry",
            cache: LayerAnalysisCache(directory: cacheRoot + "/layers", request: InventoryBuilder.request))
    }
}
