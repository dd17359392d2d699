import AlertDelivery
import Analyzers
import ArgumentParser
import ContainerImage
import FeedUpdate
import Foundation
import JQCLI
import KernelSensor
import Registry
import ReportTools
import RuleEngine
import Scanner
import VulnDB

/// Entry point: parses, runs, and turns errors into one line on stderr and an exit code.
public enum VigilMain {
    public static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        // jq's command line is its own language (`-rc`, `--arg NAME VALUE`, `--args …`): hand it over whole.
        if let first = arguments.first, first == "query" || first == "jq" {
            exit(JQCommandLine.run(arguments: Array(arguments.dropFirst())))
        }
        do {
            var command = try Vigil.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Vigil.exit()
        } catch let error as CLIError {
            fail(error.description)
        } catch let error as ContainerImageError {
            fail(error.description)
        } catch let error as AnalyzerError {
            fail(error.description)
        } catch let error as VulnDBError {
            fail(error.description)
        } catch let error as FeedUpdateError {
            fail(error.description)
        } catch let error as ScanError {
            fail(error.description)
        } catch let error as RegistryError {
            fail(error.description)
        } catch let error as RuleEngineError {
            fail(error.description)
        } catch let error as SensorError {
            fail(error.description)
        } catch let error as ReportError {
            fail(error.description)
        } catch let error as AlertDeliveryError {
            fail(error.description)
        } catch {
            // --help and --version print and exit 0; usage errors become one line like every
            // other error, with ArgumentParser's exit code (64, EX_USAGE).
            let code = Vigil.exitCode(for: error)
            if code == .success || error is ExitCode { Vigil.exit(withError: error) }
            let message = Vigil.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            Console.error(message + " (see `vigil --help`)")
            exit(code.rawValue)
        }
    }

    static func fail(_ message: String) -> Never {
        Console.error(message)
        exit(1)
    }
}
