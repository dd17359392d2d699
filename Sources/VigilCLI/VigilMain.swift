import ArgumentParser
import Foundation
import JQCLI
import VigilCore

/// Entry point: parses, runs, and turns errors into one line on stderr and an exit code.
public enum VigilMain {
    public static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        // jq's command line is its own language (`-rc`, `--arg NAME VALUE`, `--args …`): hand it over whole.
        if let first = arguments.first, first == "query" || first == "jq" {
            exit(JQCommandLine.run(arguments: Array(arguments.dropFirst())))
        }
        do {
            var command = try parse(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Vigil.exit()
        } catch let error as any VigilError {
            end(failure(for: error), error)
        } catch {
            end(failure(for: error), error)
        }
    }

    static func end(_ failure: Failure, _ error: any Error) -> Never {
        switch failure {
        case .clean:
            Vigil.exit(withError: error)
        case .message(let line, let code):
            Console.error(line)
            exit(code)
        }
    }

    /// The command the arguments name, parsed and validated. A help request naming a subcommand
    /// that does not exist is a usage error: ArgumentParser would print the parent's help and
    /// exit 0, and a script could not tell a typo from success.
    static func parse(_ arguments: [String]) throws -> any ParsableCommand {
        if let unknown = HelpRequest.unknownSubcommand(in: arguments, root: Vigil.self, handledFirst: ["query", "jq"]) {
            throw ValidationError("unknown subcommand '\(unknown.word)' of `\(unknown.parent)`")
        }
        return try Vigil.parseAsRoot(arguments)
    }

    /// How a command's error ends the process.
    enum Failure: Equatable {
        /// ArgumentParser prints it and picks the code: --help and --version (exit 0), `ExitCode`.
        case clean
        /// One `vigil: error:` line (before escaping) and the exit status.
        case message(String, Int32)
    }

    /// Every engine's error: its one line and its exit code.
    static func failure(for error: any VigilError) -> Failure { .message(error.description, error.exitCode) }

    /// Any other error; usage errors become one line like
    /// every other error, with ArgumentParser's exit code (64, EX_USAGE).
    static func failure(for error: any Error) -> Failure {
        if let error = error as? any VigilError { return failure(for: error) }
        let code = Vigil.exitCode(for: error)
        if code == .success || error is ExitCode { return .clean }
        let message = Vigil.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        return .message(message + " (see `vigil --help`)", code.rawValue)
    }
}
