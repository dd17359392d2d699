import Analyzers
import ArgumentParser
import ContainerImage
import Scanner

/// `vigil image`: scan a container image archive or OCI layout.
struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Scan a container image for vulnerable OS packages.",
        discussion: "Reads `docker save` archives (tar or tar.gz), OCI image layouts (directory) and OCI archives (tar of a layout). Only the package databases and release files are read; nothing is extracted."
    )

    @Option(name: [.customShort("i"), .long], help: "Image archive or OCI layout directory to scan.")
    var input: String?

    @Argument(help: "Image reference (registry pulls are not implemented yet: use --input).")
    var image: String?

    @Option(name: .long, help: "Platform to pick from a multi-platform index (os/arch[/variant]).")
    var platform: String = "linux/amd64"

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

    func run() throws {
        guard let input else {
            if let image {
                throw CLIError("pulling '\(image)' from a registry is not supported yet; save it first (`podman save -o img.tar \(image)`) and use --input img.tar")
            }
            throw ValidationError("give an image archive with --input PATH")
        }
        let loader = ImageLoader(request: InventoryBuilder.request, platform: platform)
        let loaded = try loader.load(path: input)
        let inventory = try Self.analyze(loaded.fileSystem, input: input)
        let code = try options.finish(artifactName: input, type: .containerImage, image: ImageSummary(loaded), inventory: inventory)
        if code != 0 { throw ExitCode(code) }
    }
}

/// `vigil rootfs`: scan an unpacked root filesystem.
struct RootfsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rootfs",
        abstract: "Scan an unpacked root filesystem for vulnerable OS packages."
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
