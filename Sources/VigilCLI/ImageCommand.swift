import Analyzers
import ArgumentParser
import ContainerImage
import Foundation
import Registry
import Scanner

/// `vigil image`: scan a container image archive or OCI layout.
struct ImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Scan a container image for vulnerable OS packages.",
        discussion: "Pulls IMAGE from its registry (Registry API v2; blobs verified and cached under ~/.cache/vigil, so a second scan downloads nothing), or reads `docker save` archives (tar or tar.gz), OCI image layouts (directory) and OCI archives (tar of a layout) with --input. Only the package databases, release files, language lockfiles and the candidates for software installed without a package manager (WordPress headers, programs such as php, httpd, nginx, redis, openssl matched by name and read as a bounded stream) are read; nothing is extracted. Those unmanaged programs are matched against NVD configurations and reported as `custom` results."
    )

    @Option(name: [.customShort("i"), .long], help: "Image archive or OCI layout directory to scan.")
    var input: String?

    @Argument(help: "Image reference to pull (`alpine:3.10`, `host:5000/repo:tag`, `repo@sha256:…`).")
    var image: String?

    @Flag(name: .long, help: "Talk plain HTTP to the registry (a registry on loopback or a lab network).")
    var insecure = false

    @Option(name: .long, help: "User name for the registry (with --password-stdin).")
    var username: String?

    @Flag(name: .long, help: "Read the registry password from standard input.")
    var passwordStdin = false

    @Option(name: .long, help: "Platform to pick from a multi-platform index (os/arch[/variant]).")
    var platform: String = "linux/amd64"

    @Option(name: .long, help: "What to look for, comma-separated: vuln (vulnerable packages), misconfig (Dockerfile checks of the image's history and config).")
    var scanners: String = "vuln"

    @OptionGroup var options: ScanOptions

    /// Runs the analyzers; their errors name files inside the image, so the image is named too.
    static func analyze(_ fs: any FileSystemView, input: String) throws -> Inventory {
        do {
            return try InventoryBuilder.build(fs)
        } catch let error as AnalyzerError {
            throw CLIError("\(input): \(error)")
        } catch let error as ContainerImageError where !error.message.hasPrefix(input) {
            throw CLIError("\(input): \(error)")
        }
    }

    func validate() throws {
        if input != nil, image != nil { throw ValidationError("give either an image reference or --input, not both") }
        if input == nil, image == nil { throw ValidationError("give an image reference or an archive with --input PATH") }
        if passwordStdin, username == nil { throw ValidationError("--password-stdin needs --username") }
        if options.offline, image != nil { throw ValidationError("--offline: pulling \(image!) needs the network; scan a saved archive with --input") }
        _ = try scannerSet()
    }

    func scannerSet() throws -> Set<String> {
        let set = Set(scanners.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
        for s in set where s != "vuln" && s != "misconfig" {
            throw ValidationError("unknown scanner '\(s)' (use vuln, misconfig)")
        }
        guard !set.isEmpty else { throw ValidationError("--scanners names no scanner (use vuln, misconfig)") }
        return set
    }

    func run() async throws {
        let loaded: Image
        let name: String
        if let input {
            loaded = try ImageLoader(request: InventoryBuilder.request, platform: platform).load(path: input)
            name = input
        } else {
            name = image!
            loaded = try await pull(image!)
        }
        let inventory = try Self.analyze(loaded.fileSystem, input: name)
        let summary = ImageSummary(loaded)
        let scanners = try scannerSet()
        let config = scanners.contains("misconfig") ? try ImageConfigCheck(options: options).run(summary.config.value) : []
        let code = try options.finish(artifactName: name, type: .containerImage, image: summary, inventory: inventory,
                                      config: config, matchPackages: scanners.contains("vuln"))
        if code != 0 { throw ExitCode(code) }
    }

    func credentials(for ref: ImageReference) throws -> RegistryCredentials? {
        if let username {
            guard passwordStdin else { throw CLIError("--username needs --password-stdin (passwords are never taken as arguments)") }
            let password = (readLine(strippingNewline: true) ?? "")
            return RegistryCredentials(username: username, password: password)
        }
        return RegistryCredentials.fromConfigFiles(registry: ref.registry)
    }

    /// Pulls into the cache and builds the image from cached blobs (and cached layer analyses).
    func pull(_ reference: String) async throws -> Image {
        let ref = try ImageReference(parsing: reference)
        let cacheRoot = DatabaseLocation.cacheDirectory()
        let cache = try BlobCache(root: cacheRoot)
        let client = RegistryClient(insecure: insecure, credentials: try credentials(for: ref))
        var puller = ImagePuller(client: client, cache: cache, platform: platform)
        let progress = ProgressLine(enabled: !options.quiet && isatty(2) == 1)
        puller.progress = { index, count, done, total in progress.update(layer: index, of: count, done: done, total: total) }
        let pulled: PulledImage
        do {
            pulled = try await puller.pull(ref)
            await client.shutdown()
        } catch {
            await client.shutdown()
            progress.finish()
            throw error
        }
        progress.finish()
        let loader = ImageLoader(request: InventoryBuilder.request, platform: platform)
        return try loader.loadBlobs(
            configBytes: pulled.configBytes, layerDigests: pulled.layerDigests, blobPath: cache.path(for:),
            tags: ref.repoTag.map { [$0] } ?? [], digests: [pulled.repoDigest], archive: reference, format: "registry",
            cache: LayerAnalysisCache(directory: cacheRoot + "/layers", request: InventoryBuilder.request))
    }
}

/// One self-rewriting progress line per layer on a terminal; silent otherwise.
final class ProgressLine: @unchecked Sendable {
    let enabled: Bool
    private let lock = NSLock()
    private var last = Date.distantPast
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(layer: Int, of count: Int, done: Int, total: Int?) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(last) > 0.1 || done == total else { return }
        last = now
        func mb(_ b: Int) -> String { String(format: "%.1f", Double(b) / 1_048_576) }
        var line = "layer \(layer + 1)/\(count)  \(mb(done))"
        if let total, total > 0 {
            let width = 30
            let filled = min(width, done * width / total)
            line += "/\(mb(total)) MB [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
        } else {
            line += " MB"
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        shown = true
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// `vigil rootfs`: scan an unpacked root filesystem.
struct RootfsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rootfs",
        abstract: "Scan an unpacked root filesystem for vulnerable OS packages.",
        discussion: "Also reports language packages and software installed without a package manager (WordPress core, plugins and themes; php, httpd, nginx, redis, openssl and other programs built from source), matched against NVD configurations."
    )

    @Argument(help: "Root filesystem directory.")
    var directory: String

    @OptionGroup var options: ScanOptions

    func run() throws {
        let fs = try DirectoryFileSystem(root: directory, request: InventoryBuilder.request)
        let inventory = try ImageCommand.analyze(fs, input: directory)
        let code = try options.finish(artifactName: directory, type: .filesystem, image: nil, inventory: inventory)
        if code != 0 { throw ExitCode(code) }
    }
}
