import ArgumentParser
import Registry
import Scan
import Testing
import VigilCore
@testable import VigilCLI
import Watch

/// The command layer's exits: help requests, usage errors, and every error to one line and a code.
struct VigilMainTests {
    func failure(_ arguments: [String]) -> VigilMain.Failure? {
        do {
            _ = try VigilMain.parse(arguments)
            return nil
        } catch {
            return VigilMain.failure(for: error)
        }
    }

    /// ArgumentParser alone prints the parent's help and exits 0 for these.
    @Test(arguments: [
        (["nosuch", "--help"], "vigil"), (["--help", "nosuch"], "vigil"), (["nosuch", "-h"], "vigil"), (["help", "nosuch"], "vigil"),
        (["db", "nosuch", "--help"], "vigil db"), (["help", "rules", "nosuch"], "vigil rules"), (["report", "nosuch", "-h"], "vigil report"),
    ])
    func helpForAnUnknownSubcommandIsAUsageError(arguments: [String], parent: String) {
        let word = "nosuch"
        #expect(failure(arguments) == .message("unknown subcommand '\(word)' of `\(parent)` (see `vigil --help`)", 64))
    }

    @Test func theUnknownWordIsNamedWhateverItIs() {
        #expect(failure(["imgae", "--help"]) == .message("unknown subcommand 'imgae' of `vigil` (see `vigil --help`)", 64))
    }

    /// Help for what exists still prints and exits 0: ArgumentParser returns its help command
    /// (or throws CleanExit for --version), never a usage error.
    @Test(arguments: [["--help"], ["-h"], ["help"], ["help", "db"], ["db", "--help"], ["db", "import", "--help"],
                      ["image", "--help"], ["image", "--help", "a.tar"], ["rules", "test", "-h"], ["help", "query"], ["--version"]])
    func helpForWhatExistsIsClean(arguments: [String]) {
        let outcome = failure(arguments)
        #expect(outcome == nil || outcome == .clean)
    }

    @Test func unknownSubcommandWithoutHelpIsAUsageError() {
        #expect(failure(["nosuch"]) == .message("Unexpected argument 'nosuch' (see `vigil --help`)", 64))
    }

    struct CustomExit: VigilError {
        var description: String { "custom failure" }
        var code: String { "test.custom" }
        var exitCode: Int32 { 3 }
    }

    struct Foreign: Error {}

    @Test func errorsMapToOneLineAndACode() {
        #expect(VigilMain.failure(for: CLIError("bad flag")) == .message("bad flag", 1))
        #expect(VigilMain.failure(for: CustomExit()) == .message("custom failure", 3))
        #expect(VigilMain.failure(for: ScanPipelineError(.ignoreFile, "ign: no such ignore file")) == .message("ign: no such ignore file", 1))
        #expect(VigilMain.failure(for: WatchError(.actionsLog, "a.log: cannot open the actions log")) == .message("a.log: cannot open the actions log", 1))
        // An engine error that arch-io's branch makes a VigilError: the same line and code through the fallback.
        #expect(VigilMain.failure(for: RegistryError(.notFound, "alpine:9: not found")) == .message("alpine:9: not found", 1))
        #expect(VigilMain.failure(for: ExitCode(5)) == .clean, "ArgumentParser exits with the code itself")
        #expect(VigilMain.failure(for: ValidationError("nope")) == .message("nope (see `vigil --help`)", 64))
        guard case .message(let line, 1) = VigilMain.failure(for: Foreign()) else {
            Issue.record("an unknown error is not exit 1")
            return
        }
        #expect(line.hasSuffix(" (see `vigil --help`)"))
    }

    @Test func cliErrorIsAVigilError() {
        let error: any VigilError = CLIError("x")
        #expect(error.code == "cli.invalid-argument")
        #expect(error.exitCode == 1)
    }
}
