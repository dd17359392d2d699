/// Where something is in a rules file.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
    public var description: String { "\(file):\(line):\(column)" }
}

/// A warning or error found while loading or compiling rules.
public struct RuleDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation?
    /// `rule 'name'`, `macro 'name'`, `list 'name'` when the problem belongs to one item.
    public var item: String?

    public init(_ message: String, location: SourceLocation?, item: String? = nil) {
        self.message = message
        self.location = location
        self.item = item
    }

    public var description: String {
        var s = ""
        if let location { s += "\(location): " }
        if let item { s += "\(item): " }
        return s + message
    }
}

/// Falco's priorities, most severe first.
public enum RulePriority: Int, Sendable, Comparable, CaseIterable {
    case emergency, alert, critical, error, warning, notice, informational, debug

    public static func < (a: RulePriority, b: RulePriority) -> Bool { a.rawValue < b.rawValue }

    /// Parses a priority the way Falco does (case-insensitive, `INFO` = informational).
    public init?(parsing text: String) {
        switch text.lowercased() {
        case "emergency": self = .emergency
        case "alert": self = .alert
        case "critical": self = .critical
        case "error": self = .error
        case "warning": self = .warning
        case "notice": self = .notice
        case "info", "informational": self = .informational
        case "debug": self = .debug
        default: return nil
        }
    }

    /// Falco's spelling in alerts and rule descriptions (`Warning`, `Informational`).
    public var name: String {
        switch self {
        case .emergency: "Emergency"
        case .alert: "Alert"
        case .critical: "Critical"
        case .error: "Error"
        case .warning: "Warning"
        case .notice: "Notice"
        case .informational: "Informational"
        case .debug: "Debug"
        }
    }

    /// Syslog severity (RFC 5424) for this priority.
    public var syslogSeverity: Int32 { Int32(rawValue) }
}

/// A `list` item after overrides.
public struct RuleList: Sendable {
    public var name: String
    public var items: [String]
    public var location: SourceLocation
}

/// A `macro` item after overrides.
public struct RuleMacro: Sendable {
    public var name: String
    public var condition: String
    public var location: SourceLocation
    /// Where the condition text starts, for error positions.
    public var conditionLocation: SourceLocation
}

/// One `exceptions` entry of a rule.
public struct RuleException: Sendable {
    public var name: String
    /// Field expressions (a single one when `fields` was a scalar).
    public var fields: [String]
    public var fieldsIsList: Bool
    public var comps: [String]
    /// One tuple per entry of `values`; each element is a string or a list of strings.
    public var values: [[ExceptionValue]]
    public var location: SourceLocation
}

/// A value in an exception tuple.
public enum ExceptionValue: Sendable, Equatable {
    case string(String)
    case list([String])
}

/// A response a rule may ask for (`actions: [kill]`), carried out only by
/// `vigil watch --enable-actions`. Falco ignores the key, so such rule files stay loadable by Falco.
public enum RuleAction: String, Sendable, CaseIterable {
    /// Kill the process that triggered the alert (through a pidfd).
    case kill
    /// Stop the container the process runs in (through the runtime's API).
    case stopContainer = "stop-container"
}

/// A `rule` item after overrides, plus what compilation found.
public struct LoadedRule: Sendable {
    public var name: String
    public var description: String
    public var condition: String
    public var output: String
    public var priority: RulePriority
    public var source: String
    public var tags: [String]
    public var enabled: Bool
    public var exceptions: [RuleException]
    public var warnEvttypes: Bool
    public var skipIfUnknownFilter: Bool
    public var capture: Bool
    public var captureDuration: Int?
    public var location: SourceLocation
    public var conditionLocation: SourceLocation
    /// Responses for `--enable-actions` (`actions:`); empty for Falco's own rules.
    public var actions: [RuleAction] = []
    /// Whether the actions may touch host processes (`host: true`); containers only otherwise.
    public var actionsOnHost = false

    /// The condition with macros, lists and exceptions expanded (nil when it did not compile).
    public var compiled: ConditionExpr?
    /// Event types the rule can match; nil means every event type.
    public var eventTypes: Set<String>?
    /// Fields the rule needs that Vigil's event model does not provide.
    public var unsupportedFields: [String] = []
    /// Why the rule is disabled although its file enables it.
    public var disabledReason: String?

    /// True when the rule runs: enabled in the files and compiled with supported fields.
    public var isActive: Bool { enabled && compiled != nil && disabledReason == nil }
}

/// The result of loading one or more rules files.
public struct RuleSet: Sendable {
    public var rules: [LoadedRule] = []
    public var macros: [RuleMacro] = []
    public var lists: [RuleList] = []
    public var warnings: [RuleDiagnostic] = []
    public var errors: [RuleDiagnostic] = []
    /// False when a file does not follow Falco's rules-file schema (unknown keys, wrong types).
    public var schemaValid = true
    public var requiredEngineVersion: String?

    public init() {}

    public var succeeded: Bool { errors.isEmpty }
    public var activeRules: [LoadedRule] { rules.filter(\.isActive) }
}
