import ArgumentParser

/// The `vigil` command tree.
public struct Vigil: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Container security: scan images and Dockerfiles for vulnerable software, slice the findings, detect intrusions in running containers.",
        discussion: """
            Examples:
              vigil db import feeds/alpine-secdb feeds/debian-tracker feeds/ubuntu/osv
              vigil image --insecure 127.0.0.1:5000/team/app:1.2
              vigil image --input alpine.tar.gz
              vigil image --input alpine.tar.gz -f json -o report.json --list-all-pkgs
              vigil rootfs /path/to/unpacked/rootfs --severity HIGH,CRITICAL --exit-code 1
              vigil fs ./my-project
              vigil image --input alpine.tar.gz -f cyclonedx -o alpine.cdx.json && vigil sbom alpine.cdx.json
              vigil image --input app.tar --vex app.openvex.json --show-suppressed -f json
              vigil config ./Dockerfile
              vigil report split report.json --by category --prefix wp_
              vigil query -r '.Results[].Vulnerabilities[] | select(.Severity=="CRITICAL") | .VulnerabilityID' report.json
              sudo vigil watch --format json
            """,
        version: VigilVersion.current,
        subcommands: [ImageCommand.self, RootfsCommand.self, FsCommand.self, SBOMCommand.self, ConfigCommand.self, DBCommand.self, ReportCommand.self, RulesCommand.self, WatchCommand.self, ServerCommand.self]
    )

    public init() {}
}

/// The version string `--version` prints.
public enum VigilVersion {
    public static let current = "0.1.0"
}
