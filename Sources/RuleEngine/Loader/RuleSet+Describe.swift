import JSONValue

extension RuleSet {
    /// Falco-style description (`falco -L --json` shape): lists, macros and rules with `info`
    /// (as written, after overrides) and `details` (compiled form), plus load diagnostics.
    public func describeJSON() -> JSON {
        var root: [(String, JSON)] = []
        root.append(("required_engine_version", requiredEngineVersion.map(JSON.string) ?? .null))
        root.append(("lists", .array(lists.map { l in
            .object([("info", .object([("name", .string(l.name)), ("items", .array(l.items.map(JSON.string)))]))])
        })))
        root.append(("macros", .array(macros.map { m in
            .object([("info", .object([("name", .string(m.name)), ("condition", .string(m.condition))]))])
        })))
        root.append(("rules", .array(rules.map(Self.describe))))
        root += summaryMembers()
        return .object(root)
    }

    /// Load status only: success, diagnostics, schema status and the number of enabled rules.
    public func summaryJSON() -> JSON { .object(summaryMembers()) }

    private func summaryMembers() -> [(String, JSON)] {
        [
            ("successful", .bool(succeeded)),
            ("errors", .array(errors.map { .string($0.description) })),
            ("warnings", .array(warnings.map { .string($0.description) })),
            ("schema_validation", .string(schemaValid ? "validation_ok" : "validation_failed")),
            ("num_enabled_rules", .int(rules.filter(\.isActive).count)),
        ]
    }

    static func describe(_ r: LoadedRule) -> JSON {
        let info: [(String, JSON)] = [
            ("name", .string(r.name)),
            ("condition", .string(r.condition)),
            ("description", .string(r.description)),
            ("output", .string(r.output)),
            ("priority", .string(r.priority.name)),
            ("source", .string(r.source)),
            ("tags", .array(r.tags.map(JSON.string))),
            ("enabled", .bool(r.enabled)),
            ("exceptions", .array(r.exceptions.map { ex in
                .object([
                    ("name", .string(ex.name)),
                    ("fields", .array(ex.fields.map(JSON.string))),
                    ("comps", .array(ex.comps.map(JSON.string))),
                    ("values", .array(ex.values.map { row in
                        .array(row.map { v in
                            switch v {
                            case .string(let s): return .string(s)
                            case .list(let l): return .array(l.map(JSON.string))
                            }
                        })
                    })),
                ])
            })),
        ]
        var fields: [String] = []
        r.compiled?.forEach { if case .field(let n, _) = $0, !fields.contains(n) { fields.append(n) } }
        let details: [(String, JSON)] = [
            ("condition_compiled", r.compiled.map { .string($0.description) } ?? .null),
            ("events", r.eventTypes.map { .array($0.sorted().map(JSON.string)) } ?? .string("all")),
            ("condition_fields", .array(fields.map(JSON.string))),
            ("output_fields", .array(OutputTemplate.fieldNames(in: r.output).map(JSON.string))),
            ("active", .bool(r.isActive)),
            ("disabled_reason", r.disabledReason.map(JSON.string) ?? (r.enabled ? .null : .string("disabled in rules file"))),
            ("unsupported_fields", .array(r.unsupportedFields.map(JSON.string))),
        ]
        return .object([("info", .object(info)), ("details", .object(details))])
    }
}
