import Yams

/// Reads Falco rules files in order and applies Falco's override semantics: redefinition,
/// `override:` per key (`append`/`replace`), the deprecated `append: true`, enabled-only
/// redefinitions and exception merging. Call `finish()` to compile the result.
public struct RuleLoader {
    /// The Falco engine version Vigil is compatible with (for `required_engine_version`).
    public static let engineVersion = (major: 0, minor: 57, patch: 0)

    static let ruleKeys: Set<String> = [
        "rule", "desc", "condition", "output", "priority", "source", "enabled", "tags", "exceptions",
        "override", "append", "warn_evttypes", "skip-if-unknown-filter", "capture", "capture_duration",
        "required_engine_version", "required_plugin_versions", "actions", "host",
    ]
    static let macroKeys: Set<String> = ["macro", "condition", "append", "override", "required_engine_version"]
    static let listKeys: Set<String> = ["list", "items", "append", "override", "required_engine_version"]
    static let appendableRuleKeys: Set<String> = ["condition", "output", "desc", "tags", "exceptions"]
    static let replaceableRuleKeys: Set<String> = [
        "condition", "output", "desc", "priority", "tags", "exceptions", "enabled", "warn_evttypes",
        "capture", "capture_duration", "skip-if-unknown-filter", "actions", "host",
    ]

    var set = RuleSet()
    private var ruleIndex: [String: Int] = [:]
    private var macroIndex: [String: Int] = [:]
    private var listIndex: [String: Int] = [:]
    private var fileFailed = false
    private var file = ""

    public init() {}

    /// Loads one file's content; `name` is used in locations.
    public mutating func load(content: String, name: String) {
        file = name
        fileFailed = false
        let root: Node?
        do {
            // the loader reads every scalar as text itself: no tag resolution (Yams' default
            // resolver compiles and runs regular expressions, ~5% of `vigil watch` start-up)
            root = try Yams.compose(yaml: content, .basic)
        } catch {
            let text = "\(error)".split(separator: "\n").first.map(String.init) ?? "invalid YAML"
            set.errors.append(RuleDiagnostic("Invalid YAML: \(text)", location: SourceLocation(file: name, line: 1, column: 1)))
            return
        }
        guard let root else { return }
        guard case .sequence(let items) = root else {
            if case .scalar(let s) = root, s.string.isEmpty { return }
            error("Rules content is not yaml array of objects", at: root)
            return
        }
        for item in items {
            if fileFailed { return }
            guard case .mapping(let map) = item else {
                error("Unexpected element type. Each element should be a yaml associative array.", at: item)
                continue
            }
            let keys = map.keys.compactMap(\.string)
            if keys.contains("rule") {
                loadRule(map, node: item)
            } else if keys.contains("macro") {
                loadMacro(map, node: item)
            } else if keys.contains("list") {
                loadList(map, node: item)
            } else if keys.contains("required_engine_version") {
                loadEngineVersion(map)
            } else if keys.contains("required_plugin_versions") {
                // plugins are not supported; the requirement is recorded and otherwise ignored
                warning("required_plugin_versions ignored: Vigil does not load Falco plugins", at: item)
            } else {
                warning("Unknown top level object: \(keys.joined(separator: ", "))", at: item)
                set.schemaValid = false
            }
        }
    }

    /// Compiles everything loaded so far.
    public func finish(registry: FieldRegistry = .standard) -> RuleSet {
        var compiler = RuleCompiler(set: set, registry: registry)
        return compiler.compile()
    }

    // MARK: diagnostics

    func location(_ node: Node?) -> SourceLocation {
        SourceLocation(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1)
    }

    private mutating func error(_ message: String, at node: Node?, item: String? = nil) {
        set.errors.append(RuleDiagnostic(message, location: location(node), item: item))
        fileFailed = true
    }

    private mutating func warning(_ message: String, at node: Node?, item: String? = nil) {
        set.warnings.append(RuleDiagnostic(message, location: location(node), item: item))
    }

    // MARK: scalar helpers

    private func value(_ map: Node.Mapping, _ key: String) -> Node? { map[key] }

    private func isNull(_ node: Node?) -> Bool {
        guard let node else { return true }
        if case .scalar(let s) = node, s.style == .plain, ["", "~", "null", "Null", "NULL"].contains(s.string) { return true }
        return false
    }

    private mutating func string(_ map: Node.Mapping, _ key: String, item: String) -> String? {
        guard let node = map[key] else { return nil }
        if case .scalar(let s) = node { return s.string }
        error("Value of '\(key)' must be a string", at: node, item: item)
        return nil
    }

    private mutating func bool(_ map: Node.Mapping, _ key: String, item: String) -> Bool? {
        guard let node = map[key] else { return nil }
        guard case .scalar(let s) = node else {
            error("Value of '\(key)' must be a boolean", at: node, item: item)
            return nil
        }
        if s.style != .plain { set.schemaValid = false }
        switch s.string.lowercased() {
        case "true", "yes", "y", "on": return true
        case "false", "no", "n", "off": return false
        default:
            error("Value of '\(key)' must be a boolean, not '\(s.string)'", at: node, item: item)
            return nil
        }
    }

    private mutating func stringList(_ node: Node?, key: String, item: String) -> [String]? {
        guard let node else { return nil }
        if isNull(node) { return [] }
        guard case .sequence(let seq) = node else {
            error("Value of '\(key)' must be a sequence", at: node, item: item)
            return nil
        }
        var out: [String] = []
        for element in seq {
            guard case .scalar(let s) = element else {
                error("Items of '\(key)' must be strings", at: element, item: item)
                return nil
            }
            out.append(s.string)
        }
        return out
    }

    private mutating func checkKeys(_ map: Node.Mapping, allowed: Set<String>, item: String) {
        for (k, _) in map {
            guard let key = k.string, !allowed.contains(key) else { continue }
            warning("Unknown key '\(key)'. The key will be ignored.", at: k, item: item)
            // the schema describes one item shape for rules, macros and lists together
            if !Self.ruleKeys.union(Self.macroKeys).union(Self.listKeys).contains(key) { set.schemaValid = false }
        }
    }

    /// The `override:` map, validated for Falco's keys and verbs.
    private mutating func overrides(_ map: Node.Mapping, item: String, appendable: Set<String>, replaceable: Set<String>) -> [String: String]? {
        guard let node = map["override"] else { return [:] }
        guard case .mapping(let om) = node else {
            error("Value of 'override' must be a map", at: node, item: item)
            return nil
        }
        var result: [String: String] = [:]
        for (k, v) in om {
            guard let key = k.string, let verb = v.string else { continue }
            switch verb {
            case "append":
                guard appendable.contains(key) else {
                    if replaceable.contains(key) {
                        error("Key '\(key)' cannot be appended to, use 'replace' instead", at: v, item: item)
                    } else {
                        error("Unexpected key '\(key)': override only applies to \(appendable.union(replaceable).sorted().joined(separator: ", "))", at: k, item: item)
                    }
                    return nil
                }
            case "replace":
                guard replaceable.contains(key) else {
                    if appendable.contains(key) {
                        error("Key '\(key)' cannot be replaced, use 'append' instead", at: v, item: item)
                    } else {
                        error("Unexpected key '\(key)': override only applies to \(appendable.union(replaceable).sorted().joined(separator: ", "))", at: k, item: item)
                    }
                    return nil
                }
            default:
                error("Invalid override operation for key '\(key)': '\(verb)'. Allowed values are: append, replace", at: v, item: item)
                return nil
            }
            guard map[key] != nil else {
                let article = verb == "append" ? "An" : "A"
                error("\(article) \(verb) override for '\(key)' was specified but '\(key)' is not defined", at: k, item: item)
                return nil
            }
            result[key] = verb
        }
        // every other key of the item must be covered by the override map
        for (k, _) in map {
            guard let key = k.string else { continue }
            if ["rule", "macro", "list", "override", "source"].contains(key) || result[key] != nil { continue }
            if !appendable.contains(key) && !replaceable.contains(key) { continue }  // reported as unknown
            error("Unexpected key '\(key)': an override must specify a corresponding key in the override map", at: k, item: item)
            return nil
        }
        return result
    }

    private mutating func appendFlag(_ map: Node.Mapping, item: String) -> Bool? {
        guard map["append"] != nil else { return false }
        guard let flag = bool(map, "append", item: item) else { return nil }
        if flag {
            warning("'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.", at: map["append"], item: item)
            if map["override"] != nil {
                error("Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.", at: map["override"], item: item)
                return nil
            }
        }
        return flag
    }

    // MARK: required_engine_version

    private mutating func loadEngineVersion(_ map: Node.Mapping) {
        guard let node = map["required_engine_version"], let text = node.string else { return }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let numbers = parts.map { Int($0) }
        guard !parts.isEmpty, parts.count <= 3, numbers.allSatisfy({ $0 != nil }) else {
            error("Unable to parse engine version '\(text)': must be a semver string or an integer", at: node)
            return
        }
        set.requiredEngineVersion = text
        let v = numbers.map { $0! }
        let required: (Int, Int, Int) = v.count == 1 ? (0, v[0], 0) : (v[0], v[1], v.count > 2 ? v[2] : 0)
        let ours = Self.engineVersion
        if (required.0, required.1, required.2) > (ours.major, ours.minor, ours.patch) {
            error("Rules require engine version \(text), but engine version is \(ours.major).\(ours.minor).\(ours.patch)", at: node)
        }
    }

    // MARK: lists

    private mutating func loadList(_ map: Node.Mapping, node: Node) {
        guard let name = string(map, "list", item: "list") else { return }
        let label = "list '\(name)'"
        checkKeys(map, allowed: Self.listKeys, item: label)
        if !Self.isValidName(name) {
            warning("List has an invalid name. List names should match a regular expression: ^[a-zA-Z_][a-zA-Z0-9_]*$", at: map["list"], item: label)
        }
        guard let append = appendFlag(map, item: label) else { return }
        guard let overrides = overrides(map, item: label, appendable: ["items"], replaceable: ["items"]) else { return }
        guard map["items"] != nil else {
            error("Item has no mapping for key 'items'", at: node, item: label)
            return
        }
        guard let items = stringList(map["items"], key: "items", item: label) else { return }
        let wantsAppend = append || overrides["items"] == "append"
        if let i = listIndex[name] {
            if wantsAppend { set.lists[i].items += items } else { set.lists[i].items = items }
        } else {
            if wantsAppend {
                error("List has 'append' key or an append override but no list by that name already exists", at: node, item: label)
                return
            }
            listIndex[name] = set.lists.count
            set.lists.append(RuleList(name: name, items: items, location: location(node)))
        }
    }

    // MARK: macros

    private mutating func loadMacro(_ map: Node.Mapping, node: Node) {
        guard let name = string(map, "macro", item: "macro") else { return }
        let label = "macro '\(name)'"
        checkKeys(map, allowed: Self.macroKeys, item: label)
        if !Self.isValidName(name) {
            warning("Macro has an invalid name. Macro names should match a regular expression: ^[a-zA-Z_][a-zA-Z0-9_]*$", at: map["macro"], item: label)
        }
        guard let append = appendFlag(map, item: label) else { return }
        guard let overrides = overrides(map, item: label, appendable: ["condition"], replaceable: ["condition"]) else { return }
        guard map["condition"] != nil, let condition = string(map, "condition", item: label) else {
            error("Item has no mapping for key 'condition'", at: node, item: label)
            return
        }
        let wantsAppend = append || overrides["condition"] == "append"
        let condLocation = location(map["condition"])
        if let i = macroIndex[name] {
            if wantsAppend {
                set.macros[i].condition += " " + condition
            } else {
                set.macros[i].condition = condition
                set.macros[i].conditionLocation = condLocation
            }
        } else {
            if wantsAppend {
                error("Macro has 'append' key or an append override but no macro by that name already exists", at: node, item: label)
                return
            }
            macroIndex[name] = set.macros.count
            set.macros.append(RuleMacro(name: name, condition: condition, location: location(node), conditionLocation: condLocation))
        }
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    // MARK: rules

    private mutating func loadRule(_ map: Node.Mapping, node: Node) {
        guard let name = string(map, "rule", item: "rule") else { return }
        let label = "rule '\(name)'"
        checkKeys(map, allowed: Self.ruleKeys, item: label)
        guard let append = appendFlag(map, item: label) else { return }
        guard let overrides = overrides(map, item: label, appendable: Self.appendableRuleKeys, replaceable: Self.replaceableRuleKeys) else { return }

        var source = "syscall"
        if let s = map["source"], !isNull(s), let text = s.string, !text.isEmpty { source = text }
        let explicitSource = map["source"].flatMap { isNull($0) ? nil : $0.string }.flatMap { $0.isEmpty ? nil : $0 }

        if let existing = ruleIndex[name], let explicitSource, set.rules[existing].source != explicitSource {
            error("Rule has been re-defined with a different source", at: map["source"], item: label)
            return
        }

        if append || !overrides.isEmpty {
            guard let i = ruleIndex[name] else {
                let how = append ? "has 'append' key" : "has an override"
                error("Rule \(how) but no rule by that name already exists", at: node, item: label)
                return
            }
            applyRuleChanges(map, to: i, overrides: append ? nil : overrides, label: label)
            return
        }

        // a definition that only sets `enabled` toggles an existing rule (deprecated)
        let keys = Set(map.keys.compactMap(\.string))
        if keys.subtracting(["rule", "enabled"]).isEmpty, keys.contains("enabled") {
            guard let i = ruleIndex[name] else {
                error("Rule has 'enabled' key but no rule by that name already exists", at: node, item: label)
                return
            }
            warning("Using only 'enabled' to redefine a rule is deprecated. Use 'override: {enabled: replace}' instead.", at: node, item: label)
            if let enabled = bool(map, "enabled", item: label) { set.rules[i].enabled = enabled }
            return
        }

        for key in ["condition", "output", "desc", "priority"] where map[key] == nil {
            error("Item has no mapping for key '\(key)'", at: node, item: label)
            return
        }
        guard let condition = string(map, "condition", item: label),
              let output = string(map, "output", item: label),
              let desc = string(map, "desc", item: label),
              let priorityText = string(map, "priority", item: label) else { return }
        guard let priority = RulePriority(parsing: priorityText) else {
            error("Invalid priority level: \(priorityText)", at: map["priority"], item: label)
            return
        }
        guard let tags = stringList(map["tags"], key: "tags", item: label) ?? (map["tags"] == nil ? [] : nil) else { return }
        guard let exceptions = parseExceptions(map["exceptions"], label: label, requireFields: true) else { return }
        var rule = LoadedRule(
            name: name, description: desc, condition: condition, output: output.trimmedBlanks, priority: priority,
            source: source, tags: tags, enabled: true, exceptions: exceptions, warnEvttypes: true,
            skipIfUnknownFilter: false, capture: false, captureDuration: nil, location: location(node),
            conditionLocation: location(map["condition"]))
        guard applyFlags(map, to: &rule, label: label) else { return }
        if let i = ruleIndex[name] {
            set.rules[i] = rule
        } else {
            ruleIndex[name] = set.rules.count
            set.rules.append(rule)
        }
    }

    /// Booleans and numbers shared by definitions and replace overrides.
    private mutating func applyFlags(_ map: Node.Mapping, to rule: inout LoadedRule, label: String) -> Bool {
        if map["enabled"] != nil { guard let v = bool(map, "enabled", item: label) else { return false }; rule.enabled = v }
        if map["warn_evttypes"] != nil { guard let v = bool(map, "warn_evttypes", item: label) else { return false }; rule.warnEvttypes = v }
        if map["skip-if-unknown-filter"] != nil { guard let v = bool(map, "skip-if-unknown-filter", item: label) else { return false }; rule.skipIfUnknownFilter = v }
        if map["capture"] != nil { guard let v = bool(map, "capture", item: label) else { return false }; rule.capture = v }
        if map["host"] != nil { guard let v = bool(map, "host", item: label) else { return false }; rule.actionsOnHost = v }
        if let node = map["actions"] {
            guard let names = stringList(node, key: "actions", item: label) else { return false }
            var actions: [RuleAction] = []
            for name in names {
                guard let action = RuleAction(rawValue: name) else {
                    let known = RuleAction.allCases.map(\.rawValue).joined(separator: ", ")
                    error("Unknown action '\(name)' (known: \(known))", at: node, item: label)
                    return false
                }
                if !actions.contains(action) { actions.append(action) }
            }
            rule.actions = actions
        }
        if let node = map["capture_duration"] {
            guard let text = node.string, let v = Int(text) else {
                error("Value of 'capture_duration' must be an integer number of milliseconds", at: node, item: label)
                return false
            }
            rule.captureDuration = v
        }
        return true
    }

    /// `append: true` (overrides nil) or an `override:` map applied to rule `i`.
    private mutating func applyRuleChanges(_ map: Node.Mapping, to i: Int, overrides: [String: String]?, label: String) {
        var rule = set.rules[i]
        func verb(_ key: String) -> String? {
            guard map[key] != nil else { return nil }
            if let overrides { return overrides[key] }
            return ["condition", "exceptions"].contains(key) ? "append" : nil  // deprecated append
        }
        if let v = verb("condition"), let text = string(map, "condition", item: label) {
            if v == "append" { rule.condition += " " + text } else {
                rule.condition = text
                rule.conditionLocation = location(map["condition"])
            }
        }
        if let v = verb("output"), let text = string(map, "output", item: label) {
            rule.output = v == "append" ? rule.output + " " + text.trimmedBlanks : text.trimmedBlanks
        }
        if let v = verb("desc"), let text = string(map, "desc", item: label) {
            rule.description = v == "append" ? rule.description + " " + text : text
        }
        if verb("priority") != nil, let text = string(map, "priority", item: label) {
            guard let p = RulePriority(parsing: text) else {
                error("Invalid priority level: \(text)", at: map["priority"], item: label)
                return
            }
            rule.priority = p
        }
        if let v = verb("tags"), let tags = stringList(map["tags"], key: "tags", item: label) {
            rule.tags = v == "append" ? rule.tags + tags : tags
        }
        if let v = verb("exceptions") {
            guard let incoming = parseExceptions(map["exceptions"], label: label, requireFields: v == "replace", existing: v == "append" ? rule.exceptions : []) else { return }
            if v == "append" {
                for ex in incoming {
                    if let j = rule.exceptions.firstIndex(where: { $0.name == ex.name }) {
                        if ex.values.isEmpty {
                            warning("Overriding/appending exception with no values", at: map["exceptions"], item: label)
                        }
                        rule.exceptions[j].values += ex.values
                    } else {
                        rule.exceptions.append(ex)
                    }
                }
            } else {
                rule.exceptions = incoming
            }
        }
        if let overrides {
            var flags = LoadedRule(name: "", description: "", condition: "", output: "", priority: .debug, source: "", tags: [], enabled: rule.enabled, exceptions: [], warnEvttypes: rule.warnEvttypes, skipIfUnknownFilter: rule.skipIfUnknownFilter, capture: rule.capture, captureDuration: rule.captureDuration, location: rule.location, conditionLocation: rule.conditionLocation)
            let subset = overrides.keys.filter { ["enabled", "warn_evttypes", "skip-if-unknown-filter", "capture", "capture_duration"].contains($0) }
            if !subset.isEmpty {
                guard applyFlags(map, to: &flags, label: label) else { return }
                rule.enabled = flags.enabled
                rule.warnEvttypes = flags.warnEvttypes
                rule.skipIfUnknownFilter = flags.skipIfUnknownFilter
                rule.capture = flags.capture
                rule.captureDuration = flags.captureDuration
            }
        }
        set.rules[i] = rule
    }

    // MARK: exceptions

    private mutating func parseExceptions(_ node: Node?, label: String, requireFields: Bool, existing: [RuleException] = []) -> [RuleException]? {
        guard let node, !isNull(node) else { return [] }
        guard case .sequence(let seq) = node else {
            error("Rule exceptions must be a sequence", at: node, item: label)
            return nil
        }
        var result: [RuleException] = []
        for entry in seq {
            guard case .mapping(let m) = entry else {
                error("Rule exception must be a map", at: entry, item: label)
                return nil
            }
            for (k, _) in m {
                if let key = k.string, !["name", "fields", "comps", "values"].contains(key) {
                    warning("Unknown key '\(key)'. The key will be ignored.", at: k, item: label)
                    set.schemaValid = false
                }
            }
            guard let nameNode = m["name"], let name = nameNode.string else {
                error("Item has no mapping for key 'name'", at: entry, item: label)
                return nil
            }
            let exLabel = label + " exception '\(name)'"
            if result.contains(where: { $0.name == name }) {
                warning("Multiple definitions of exception '\(name)' in the same rule", at: nameNode, item: label)
            }
            let known = existing.first { $0.name == name }
            var fields: [String] = known?.fields ?? []
            var fieldsIsList = known?.fieldsIsList ?? true
            if let f = m["fields"] {
                switch f {
                case .scalar(let s): fields = [s.string]; fieldsIsList = false
                case .sequence:
                    guard let list = stringList(f, key: "fields", item: exLabel) else { return nil }
                    fields = list; fieldsIsList = true
                default:
                    error("Rule exception fields must be a string or a sequence", at: f, item: exLabel)
                    return nil
                }
            } else if known == nil {
                error("Item has no mapping for key 'fields'", at: entry, item: exLabel)
                return nil
            }
            var comps: [String] = known?.comps ?? []
            if let c = m["comps"] {
                switch c {
                case .scalar(let s): comps = [s.string]
                case .sequence:
                    guard let list = stringList(c, key: "comps", item: exLabel) else { return nil }
                    comps = list
                default:
                    error("Rule exception comps must be a string or a sequence", at: c, item: exLabel)
                    return nil
                }
            } else if known == nil {
                comps = fieldsIsList ? Array(repeating: "=", count: fields.count) : ["in"]
            }
            comps = comps.map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") }
            if known == nil || m["fields"] != nil || m["comps"] != nil {
                guard validateComps(fields: fields, fieldsIsList: fieldsIsList, comps: comps, at: m["comps"] ?? entry, label: exLabel) else { return nil }
            }
            var values: [[ExceptionValue]] = []
            if let v = m["values"], !isNull(v) {
                guard case .sequence(let rows) = v else {
                    error("Rule exception values must be a sequence", at: v, item: exLabel)
                    return nil
                }
                for row in rows {
                    if !fieldsIsList {
                        // scalar fields: each entry is one value of the list comparison
                        guard case .scalar(let s) = row else {
                            error("Rule exception values for a single field must be strings", at: row, item: exLabel)
                            return nil
                        }
                        values.append([.string(s.string)])
                        continue
                    }
                    guard case .sequence(let cells) = row else {
                        error("Rule exception values must be sequences of values", at: row, item: exLabel)
                        return nil
                    }
                    var tuple: [ExceptionValue] = []
                    for cell in cells {
                        switch cell {
                        case .scalar(let s): tuple.append(.string(s.string))
                        case .sequence:
                            guard let list = stringList(cell, key: "values", item: exLabel) else { return nil }
                            tuple.append(.list(list))
                        default:
                            error("Rule exception values must be strings or lists", at: cell, item: exLabel)
                            return nil
                        }
                    }
                    if tuple.count != fields.count {
                        error("Exception item \(name): fields and values lists must have equal length", at: row, item: exLabel)
                        return nil
                    }
                    values.append(tuple)
                }
            }
            result.append(RuleException(name: name, fields: fields, fieldsIsList: fieldsIsList, comps: comps, values: values, location: location(entry)))
        }
        return result
    }

    static let listComps: Set<String> = ["in", "intersects", "pmatch"]

    static func isSupportedComp(_ comp: String) -> Bool {
        let plain = Set(ConditionParser.supportedOperators)
        if plain.contains(comp) { return true }
        let parts = comp.split(separator: " ").map(String.init)
        guard parts.count == 2, ConditionParser.modifiers.contains(parts[1]) else { return false }
        let strOps = Set(ConditionParser.strOps.map(\.trimmedBlanks))
        return strOps.contains(parts[0])
    }

    private mutating func validateComps(fields: [String], fieldsIsList: Bool, comps: [String], at node: Node?, label: String) -> Bool {
        if !fieldsIsList {
            guard comps.count == 1, Self.listComps.contains(comps[0]) else {
                error("Rule exception item: when fields is a single value, comps must be one of in, pmatch, intersects (got '\(comps.joined(separator: ", "))')", at: node, item: label)
                return false
            }
            return true
        }
        guard comps.count == fields.count else {
            error("Rule exception item: fields and comps lists must have equal length", at: node, item: label)
            return false
        }
        for comp in comps where !Self.isSupportedComp(comp) {
            error("'\(comp)' is not a supported comparison operator", at: node, item: label)
            return false
        }
        return true
    }
}
