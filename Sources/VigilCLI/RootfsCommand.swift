import ArgumentParser
import Scan

/// `vigil rootfs`: scan an unpacked root filesystem.
struct RootfsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rootfs",
        abstract: "Scan an unpacked root filesystem for vulnerable OS packages.",
        discussion: "Also reports language packages (Python, Go, Rust lockfiles; installed Node.js, Ruby, PHP Composer, .NET/NuGet and conda packages) and software installed without a package manager (WordPress core, plugins and themes; php, httpd, nginx, redis, openssl and other programs built from source), matched against NVD configurations."
    )

    @Argument(help: "Root filesystem directory.")
    var directory: String

    @OptionGroup var options: ScanOptions

    func run() async throws {
        let code = try await options.scan(.rootfs(path: directory), configuration: options.configuration())
        if code != 0 { throw ExitCode(code) }
    }
}
