import ArgumentParser
import Classification
import Scan
import Scanner
import Testing
@testable import VigilCLI
import VigilCore

/// `vigil image|rootfs|config` flags, parsed in-process, become the engine's configuration.
struct ScanCommandParsingTests {
    func parse<C: ParsableCommand>(_ arguments: [String], as type: C.Type) throws -> C {
        try #require(try VigilMain.parse(arguments) as? C)
    }

    @Test func imageFlagsBecomeTheScanConfiguration() throws {
        let command = try parse(["image", "--input", "a.tar", "-f", "json", "--severity", "HIGH,critical", "--category", "dos,rce",
                                 "--ignore-unfixed", "--ignorefile", "ign", "--db-max-age", "36h", "--scanners", "misconfig, vuln",
                                 "--quiet", "--db", "x.db"], as: ImageCommand.self)
        let c = try command.options.configuration(scanners: command.scannerSet())
        #expect(command.input == "a.tar")
        #expect(c.severities == [.high, .critical])
        #expect(c.categories == [.denialOfService, .codeExecution])
        #expect(c.ignoreUnfixed)
        #expect(c.ignoreFile == "ign")
        #expect(c.maxDatabaseAge == DatabaseAgeLimit(seconds: 36 * 3600, text: "36h"))
        #expect(c.scanners == [.vuln, .misconfig])
        #expect(c.classify, "every format but the table shows categories")
        #expect(c.quiet)
        #expect(command.options.databasePath == "x.db")
        #expect(command.options.format.scanFormat == .json)
    }

    @Test func defaultsMatchTheEngineDefaults() throws {
        let command = try parse(["rootfs", "/r"], as: RootfsCommand.self)
        let c = try command.options.configuration()
        let engine = ScanConfiguration()
        #expect(c.severities == engine.severities)
        #expect(c.ignoreFile == ScanConfiguration.defaultIgnoreFile)
        #expect(c.scanners == [.vuln])
        #expect(!c.classify, "the table needs no CWE catalogue")
        #expect(c.categories.isEmpty)
        #expect(c.maxDatabaseAge == DatabaseAgeLimit(seconds: 7 * 86_400, text: "7d"))
        #expect(try parse(["rootfs", "/r", "--db-max-age", "0"], as: RootfsCommand.self).options.configuration().maxDatabaseAge == nil)
    }

    @Test func fsAndSBOMCommandsTakeTheScanOptionsAndVEX() throws {
        let fs = try parse(["fs", "proj", "--vex", "a.json", "--vex", "b.json", "--show-suppressed", "-f", "json"], as: FsCommand.self)
        #expect(fs.path == "proj")
        let c = try fs.options.configuration()
        #expect(c.vexFiles == ["a.json", "b.json"])
        #expect(c.showSuppressed)
        let sbom = try parse(["sbom", "bom.json", "--severity", "HIGH"], as: SBOMCommand.self)
        #expect(sbom.file == "bom.json")
        #expect(try sbom.options.configuration().severities == [.high])
        #expect(try sbom.options.configuration().vexFiles.isEmpty)
        #expect(try !parse(["image", "--input", "a.tar"], as: ImageCommand.self).options.configuration().showSuppressed)
    }

    /// The help names the new commands and flags, so `vigil --help` and `vigil fs --help` stay true.
    @Test func helpListsFsSBOMAndVEX() {
        let root = Vigil.helpMessage()
        #expect(root.contains("fs") && root.contains("Scan a project directory"))
        #expect(root.contains("sbom") && root.contains("Scan the packages an SBOM lists"))
        let fs = Vigil.helpMessage(for: FsCommand.self)
        for word in ["package-lock.json", "yarn.lock", "pnpm-lock.yaml", "Gemfile.lock", "composer.lock", "pom.xml", "gradle.lockfile", "--vex", "--show-suppressed"] {
            #expect(fs.contains(word), "vigil fs --help lacks \(word)")
        }
        #expect(Vigil.helpMessage(for: ImageCommand.self).contains("--vex"))
    }

    @Test func configFlagsBecomeTheConfigScanConfiguration() throws {
        let command = try parse(["config", ".", "--build-arg", "BASE=ubuntu:22.04", "--build-arg", "X=a=b", "-s", "LOW",
                                 "--include-non-failures", "--db", "d.db"], as: ConfigCommand.self)
        let c = try command.configuration()
        #expect(c.buildArguments == ["BASE": "ubuntu:22.04", "X": "a=b"])
        #expect(c.severities == [.low])
        #expect(c.includePassed)
        #expect(c.databasePath == "d.db")
        #expect(c.databaseRequired, "a database named with --db must exist")
    }

    /// Each bad value is refused while parsing, with ArgumentParser's usage code.
    @Test(arguments: [
        ["image", "--input", "a.tar", "--severity", "SEVERE"],
        ["image", "--input", "a.tar", "--scanners", "secrets"],
        ["image", "--input", "a.tar", "--exit-code", "256"],
        ["image", "--input", "a.tar", "alpine:3.10"],
        ["image", "--offline", "alpine:3.10"],
        ["image", "--nosuch"],
        ["rootfs", "/r", "--db-max-age", "soon"],
        ["rootfs", "/r", "--category", "nosuch"],
        ["config", ".", "--build-arg", "NOEQUALS"],
        ["fs"],
        ["sbom"],
        ["sbom", "a.json", "--vex"],
    ])
    func badFlagsAreUsageErrors(arguments: [String]) throws {
        let error = #expect(throws: (any Error).self) { _ = try VigilMain.parse(arguments) }
        guard case .message(let line, 64)? = error.map(VigilMain.failure(for:)) else {
            Issue.record("\(arguments): \(String(describing: error)) is not a usage error")
            return
        }
        #expect(line.hasSuffix(" (see `vigil --help`)"))
    }
}
