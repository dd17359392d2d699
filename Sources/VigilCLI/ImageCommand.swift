import ArgumentParser
import Foundation
import Registry
import Scan

/// `vigil image`: scan a container image archive or OCI layout.
struct ImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Scan a container image for vulnerable OS packages.",
        discussion: "Pulls IMAGE from its registry (Registry API v2; blobs verified and cached under ~/.cache/vigil, so a second scan downloads nothing), or reads `docker save` archives (tar or tar.gz), OCI image layouts (directory) and OCI archives (tar of a layout) with --input. Only the package databases, release files, language lockfiles, installed language-package metadata (package.json, gemspecs, Composer installed.json, .NET deps.json, NuGet packages.lock.json/packages.config, conda records; each bounded in size, parsed while streaming) and the candidates for software installed without a package manager (WordPress headers, programs such as php, httpd, nginx, redis, openssl matched by name and read as a bounded stream) are read; nothing is extracted. Those unmanaged programs are matched against NVD configurations and reported as `custom` results."
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

    func validate() throws {
        if input != nil, image != nil { throw ValidationError("give either an image reference or --input, not both") }
        if input == nil, image == nil { throw ValidationError("give an image reference or an archive with --input PATH") }
        if passwordStdin, username == nil { throw ValidationError("--password-stdin needs --username") }
        if options.offline, image != nil { throw ValidationError("--offline: pulling \(image!) needs the network; scan a saved archive with --input") }
        _ = try scannerSet()
    }

    func scannerSet() throws -> Set<ScanConfiguration.Scanner> {
        let set = Set(scanners.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
        var out: Set<ScanConfiguration.Scanner> = []
        for s in set {
            guard let scanner = ScanConfiguration.Scanner(rawValue: s) else { throw ValidationError("unknown scanner '\(s)' (use vuln, misconfig)") }
            out.insert(scanner)
        }
        guard !out.isEmpty else { throw ValidationError("--scanners names no scanner (use vuln, misconfig)") }
        return out
    }

    func run() async throws {
        var configuration = try options.configuration(scanners: try scannerSet())
        configuration.platform = platform
        let source: ScanSource
        if let input {
            source = .imageArchive(path: input)
        } else {
            source = .registry(reference: image!)
            let (username, passwordStdin) = (username, passwordStdin)
            configuration.registry = RegistryAccess(
                insecure: insecure, cacheDirectory: DatabaseLocation.cacheDirectory(),
                credentials: { registry in try Self.credentials(for: registry, username: username, passwordStdin: passwordStdin) },
                progress: ProgressLine(enabled: !options.quiet && isatty(2) == 1))
        }
        let code = try await options.scan(source, configuration: configuration)
        if code != 0 { throw ExitCode(code) }
    }

    /// `--username` with the password from standard input, else the Docker/Podman config files' entry for `registry`.
    static func credentials(for registry: String, username: String?, passwordStdin: Bool) throws -> RegistryCredentials? {
        if let username {
            guard passwordStdin else { throw CLIError("--username needs --password-stdin (passwords are never taken as arguments)") }
            let password = (readLine(strippingNewline: true) ?? "")
            return RegistryCredentials(username: username, password: password)
        }
        return RegistryCredentials.fromConfigFiles(registry: registry)
    }
}
