import ArgumentParser
import Scan

/// `vigil fs`: scan a project tree's lockfiles (Trivy's `fs`).
struct FsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fs",
        abstract: "Scan a project directory (or one lockfile) for vulnerable dependencies.",
        discussion: "Reads every lockfile and build file under PATH: package-lock.json (v1-v3), yarn.lock (classic and berry), pnpm-lock.yaml, Gemfile.lock, composer.lock, pom.xml (versions declared in the file, properties resolved within it; no parent POM, no network), gradle.lockfile, requirements.txt, Pipfile.lock, poetry.lock, go.mod, Cargo.lock - one result per file, as Trivy's `fs` reports them. Development-only packages are left out where the file tells them apart (npm and pnpm dev flags, composer packages-dev, yarn.lock with its package.json beside it). Installed-package metadata (Python *.dist-info) is for `vigil rootfs`; OS packages are reported when PATH holds a package database."
    )

    @Argument(help: "Project directory, or one lockfile.")
    var path: String

    @OptionGroup var options: ScanOptions

    func run() async throws {
        let code = try await options.scan(.filesystem(path: path), configuration: options.configuration())
        if code != 0 { throw ExitCode(code) }
    }
}
