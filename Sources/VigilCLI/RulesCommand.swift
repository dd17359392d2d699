import ArgumentParser
import JSONValue
import RuleEngine
import Sensor
import VigilCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `vigil rules …`: check, describe and try Falco-compatible rules files.
public struct RulesCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Validate, describe and test Falco-compatible rules files.",
        discussion: """
            Examples:
              vigil rules validate /etc/falco/falco_rules.yaml my_rules.yaml
              vigil rules describe falco_rules.yaml --json
              vigil rules parse 'evt.type = execve and proc.name in (bash, sh)'
              vigil rules test my_rules.yaml --events recording.jsonl
            """,
        subcommands: [Validate.self, Describe.self, Parse.self, Test.self]
    )

    public init() {}

    /// `vigil rules validate FILE…`
    public struct Validate: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Load rules files in order and report errors and warnings with file:line:column.")

        @Argument(help: "Rules files, loaded in order.")
        var files: [String]

        @Flag(help: "Load Vigil's default rules before the files.")
        var withDefaults = false

        @Flag(help: "Print the result as JSON (successful, errors, warnings, schema_validation, num_enabled_rules).")
        var json = false

        public init() {}

        public func run() throws {
            let set = try RuleSet.load(files: files, includeDefaults: withDefaults)
            if json {
                print(JSONPrinter(indent: 2, escapeHTML: false).render(set.summaryJSON()))
                if !set.succeeded { throw ExitCode(1) }
                return
            }
            for w in set.warnings { printError("warning: \(w.description)") }
            _ = try set.checked()
            let active = set.rules.filter(\.isActive).count
            let disabled = set.rules.count - active
            print("\(files.joined(separator: ", ")): Ok (\(set.rules.count) rules, \(active) active, \(disabled) disabled, \(set.warnings.count) warnings)")
        }
    }

    /// `vigil rules describe FILE… [--json]`
    public struct Describe: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "describe",
            abstract: "Show each rule's state, priority, tags and compiled condition.")

        @Argument(help: "Rules files, loaded in order.")
        var files: [String] = []

        @Flag(help: "Load Vigil's default rules before the files (implied when no file is given).")
        var withDefaults = false

        @Flag(help: "Print Falco's JSON description (lists, macros, rules with info and details).")
        var json = false

        public init() {}

        public func run() throws {
            let set = try RuleSet.load(files: files, includeDefaults: withDefaults || files.isEmpty)
            if json {
                print(JSONPrinter(indent: 2, escapeHTML: false).render(set.describeJSON()))
                if !set.succeeded { throw ExitCode(1) }
                return
            }
            _ = try set.checked()
            for w in set.warnings { printError("warning: \(w.description)") }
            for r in set.rules {
                let state = r.isActive ? "enabled" : (r.enabled ? "disabled (\(r.disabledReason ?? "?"))" : "disabled")
                print("\(r.name)")
                print("  state:     \(state)")
                print("  priority:  \(r.priority.name)")
                if !r.tags.isEmpty { print("  tags:      \(r.tags.joined(separator: ", "))") }
                let events = r.eventTypes.map { $0.sorted().joined(separator: ", ") } ?? "all"
                print("  events:    \(events)")
                print("  condition: \(r.compiled?.description ?? r.condition)")
            }
        }
    }

    /// `vigil rules parse 'CONDITION'`
    public struct Parse: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "parse",
            abstract: "Parse a condition and print Falco's normalised form (macros are not expanded).")

        @Argument(help: "A Falco condition.")
        var condition: String

        public init() {}

        public func run() throws {
            do {
                print(try ConditionParser.parse(condition).description)
            } catch {
                throw RuleEngineError(.syntax, error.message, location: "condition:\(error.position.line):\(error.position.column)")
            }
        }
    }

    /// `vigil rules test FILE --events EVENTS`
    public struct Test: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Replay recorded events through rules and show which rules fired on which events, and why.")

        @Argument(help: "Rules files, loaded in order.")
        var files: [String]

        @Option(name: .long, help: "Events file (JSON lines, see docs/events.md).")
        var events: String

        @Flag(help: "Load Vigil's default rules before the files.")
        var withDefaults = false

        @Flag(help: "Print one JSON alert per line instead of text.")
        var json = false

        public init() {}

        public func run() throws {
            let set = try RuleSet.load(files: files, includeDefaults: withDefaults).checked()
            for w in set.warnings { printError("warning: \(w.description)") }
            let engine = RuleEvaluator(rules: set)
            for w in engine.warnings { printError("warning: \(w.description)") }
            var counts: [String: Int] = [:]
            var replay: EventReplay
            do { replay = try EventReplay(path: events) } catch { throw CLIError("\(events): cannot read events: \(error.reason)") }
            defer { replay.close() }
            var total = 0
            // The recording's errors are one plain line (`FILE:LINE: invalid event: …`), not a usage error.
            func next() throws -> Event? {
                do { return try replay.nextEvent() } catch { throw CLIError(error.description) }
            }
            while let event = try next() {
                total += 1
                for match in engine.evaluate(event, state: replay.state) {
                    counts[match.rule.name, default: 0] += 1
                    let alert = Alert(match: match, event: event, state: replay.state, hostname: Hostname.current)
                    if json {
                        print(alert.jsonLine())
                    } else {
                        print("event \(event.num) (line \(replay.lineNumber), \(event.type)): rule '\(match.rule.name)' fired")
                        print("  output: \(alert.output)")
                        print("  why:    \(match.explanation(event: event, state: replay.state))")
                    }
                }
            }
            if !json {
                print("\(total) events, \(counts.values.reduce(0, +)) alerts" + (counts.isEmpty ? "" : ": " + counts.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")))
            }
        }
    }
}

/// Writes one line to standard error.
func printError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
