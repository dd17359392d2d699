import JSONValue

/// The SARIF side of `Class: config` results: each failed misconfiguration becomes a rule (its
/// check id) and a result at its Dockerfile lines, as Trivy writes them; predicted
/// vulnerabilities (which carry `CauseMetadata` lines) point at their Dockerfile lines instead of
/// line 1 of the artifact.
public enum MisconfigurationSARIF {
    /// Amends the rules and results `SARIFReport` built from `report`'s vulnerabilities
    /// (`results` in `ReportItem.all` order).
    static func amend(_ report: JSON, rules: inout [JSON], results: inout [JSON]) {
        // Vulnerabilities with Dockerfile lines: point the result at them.
        for (i, item) in ReportItem.all(report).enumerated() where i < results.count {
            guard let cause = item.vulnerability["CauseMetadata"], let start = cause["StartLine"]?.int64Value.map(Int.init) else { continue }
            let end = cause["EndLine"]?.int64Value.map(Int.init) ?? start
            results[i] = replacingLocation(results[i], uri: item.target, start: start, end: end,
                                           text: "\(item.target): \(cause["Source"]?.stringValue ?? item.packageName)")
        }
        var ruleIndex: [String: Int] = [:]
        for (i, r) in rules.enumerated() { if let id = r["id"]?.stringValue { ruleIndex[id] = i } }
        for result in report["Results"]?.arrayValue ?? [] {
            let target = result["Target"]?.stringValue ?? ""
            let type = result["Type"]?.stringValue ?? "dockerfile"
            for m in result["Misconfigurations"]?.arrayValue ?? [] where m["Status"]?.stringValue == "FAIL" {
                let id = m["ID"]?.stringValue ?? "UNKNOWN"
                let title = m["Title"]?.stringValue ?? id
                let description = m["Description"]?.stringValue ?? title
                let severity = (m["Severity"]?.stringValue ?? "UNKNOWN").uppercased()
                let message = m["Message"]?.stringValue ?? title
                let link = m["PrimaryURL"]?.stringValue ?? m["References"]?.arrayValue?.first?.stringValue ?? ""
                let resolution = m["Resolution"]?.stringValue ?? ""
                if ruleIndex[id] == nil {
                    ruleIndex[id] = rules.count
                    let helpText = "Misconfiguration \(id)\nType: \(type)\nSeverity: \(severity)\nCheck: \(title)\nMessage: \(message)\nLink: [\(id)](\(link))\n\(description)"
                    let helpMarkdown = "**Misconfiguration \(id)**\n| Type | Severity | Check | Message | Link |\n| --- | --- | --- | --- | --- |\n|\(type)|\(severity)|\(title)|\(message)|[\(id)](\(link))|\n\n\(description)"
                    var rule: [(String, JSON)] = [
                        ("id", .string(id)),
                        ("name", .string("Misconfiguration")),
                        ("shortDescription", .object([("text", .string(title))])),
                        ("fullDescription", .object([("text", .string(description))])),
                        ("defaultConfiguration", .object([("level", .string(SARIFReport.level(severity)))])),
                    ]
                    if link.hasPrefix("http") { rule.append(("helpUri", .string(link))) }
                    rule.append(("help", .object([("text", .string(helpText)), ("markdown", .string(helpMarkdown))])))
                    rule.append(("properties", .object([
                        ("precision", .string("very-high")),
                        ("security-severity", .string(SARIFReport.securitySeverity(severityWord: severity))),
                        ("tags", .array(["misconfiguration", "security", severity].map(JSON.string))),
                    ])))
                    rules.append(.object(rule))
                }
                let start = m["CauseMetadata"]?["StartLine"]?.int64Value.map(Int.init) ?? 1
                let end = m["CauseMetadata"]?["EndLine"]?.int64Value.map(Int.init) ?? start
                let text = "Artifact: \(target)\nType: \(type)\nVulnerability \(id)\nSeverity: \(severity)\nMessage: \(message)\nResolution: \(resolution)\nLink: [\(id)](\(link))"
                results.append(.object([
                    ("ruleId", .string(id)),
                    ("ruleIndex", .int(ruleIndex[id]!)),
                    ("level", .string(SARIFReport.level(severity))),
                    ("message", .object([("text", .string(text))])),
                    ("locations", .array([location(uri: target, start: start, end: end, text: "\(target)")])),
                ]))
            }
        }
    }

    static func location(uri: String, start: Int, end: Int, text: String) -> JSON {
        .object([
            ("physicalLocation", .object([
                ("artifactLocation", .object([("uri", .string(uri)), ("uriBaseId", .string("ROOTPATH"))])),
                ("region", .object([("startLine", .int(max(1, start))), ("startColumn", .int(1)),
                                    ("endLine", .int(max(1, end))), ("endColumn", .int(1))])),
            ])),
            ("message", .object([("text", .string(text))])),
        ])
    }

    static func replacingLocation(_ result: JSON, uri: String, start: Int, end: Int, text: String) -> JSON {
        guard let fields = result.objectValue else { return result }
        return .object(fields.map { key, value in
            key == "locations" ? (key, .array([location(uri: uri, start: start, end: end, text: text)])) : (key, value)
        })
    }
}
