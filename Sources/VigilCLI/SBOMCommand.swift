import ArgumentParser
import Scan

/// `vigil sbom`: scan the packages a CycloneDX or SPDX document lists.
struct SBOMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sbom",
        abstract: "Scan the packages an SBOM lists (CycloneDX 1.4-1.6 JSON, SPDX 2.3 JSON).",
        discussion: "Components are matched by package URL: pkg:deb, pkg:apk and pkg:rpm as OS packages (the OS from the operating-system component, else the purl's distro qualifier; source packages from Vigil's or Trivy's SrcName/SrcVersion properties), pkg:pypi, golang, cargo, npm, gem, composer and maven as language packages, pkg:generic and pkg:wordpress-plugin/-theme as software installed without a package manager. Output is that of an image scan; the SBOMs `vigil image -f cyclonedx|spdx-json` writes give the same findings back."
    )

    @Argument(help: "SBOM file (JSON).")
    var file: String

    @OptionGroup var options: ScanOptions

    func run() async throws {
        let code = try await options.scan(.sbom(path: file), configuration: options.configuration())
        if code != 0 { throw ExitCode(code) }
    }
}
