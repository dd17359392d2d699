import JSONValue
import VigilCore

extension ConfigScanResult {
    /// The Trivy `Result` for this Dockerfile (Class `config`, Type `dockerfile`): `MisconfSummary`
    /// and `Misconfigurations` with `CauseMetadata` lines, field order and omissions as Trivy prints them.
    ///
    /// `vulnerabilities` is the hook for predicted vulnerabilities (matched by the caller from
    /// `predictions`): when not empty they are placed as the Result's `Vulnerabilities`, where Trivy
    /// puts them. `includePassed` adds `PASS` entries like `--include-non-failures`.
    public func trivyResult(vulnerabilities: [JSON] = [], includePassed: Bool = false) -> JSON {
        var result: [(String, JSON)] = [
            ("Target", .string(target)),
            ("Class", .string("config")),
            ("Type", .string("dockerfile")),
        ]
        if !vulnerabilities.isEmpty { result.append(("Vulnerabilities", .array(vulnerabilities))) }
        result.append(("MisconfSummary", .object([("Successes", .int(passedRules.count)), ("Failures", .int(failures.count))])))
        var entries = failures.map(misconfiguration)
        if includePassed { entries += passedRules.map(passed) }
        if !entries.isEmpty { result.append(("Misconfigurations", .array(entries))) }
        return .object(result)
    }

    private func header(_ rule: Rule, message: String) -> [(String, JSON)] {
        var m: [(String, JSON)] = [
            ("Type", .string("Dockerfile Security Check")),
            ("ID", .string(rule.reportID)),
            ("Title", .string(rule.title)),
            ("Description", .string(rule.description)),
        ]
        if !message.isEmpty { m.append(("Message", .string(message))) }
        if rule.isTrivy {
            m.append(("Namespace", .string("builtin.dockerfile.\(rule.id)")))
            m.append(("Query", .string("data.builtin.dockerfile.\(rule.id).deny")))
        } else {
            m.append(("Namespace", .string("vigil.dockerfile.\(rule.id)")))
        }
        m.append(("Resolution", .string(rule.resolution)))
        m.append(("Severity", .string(rule.severity.description)))
        if let url = rule.primaryURL { m.append(("PrimaryURL", .string(url))) }
        let refs = rule.references + (rule.primaryURL.map { [$0] } ?? [])
        m.append(("References", .array(refs.map(JSON.string))))
        return m
    }

    private func misconfiguration(_ f: Misconfiguration) -> JSON {
        var m = header(f.rule, message: f.message)
        m.append(("Status", .string("FAIL")))
        var cause: [(String, JSON)] = [("Provider", .string("Dockerfile")), ("Service", .string("general"))]
        if let start = f.startLine, let end = f.endLine {
            cause.append(("StartLine", .int(start)))
            cause.append(("EndLine", .int(end)))
            let shown = Array(start...min(end, start + 9))
            let lines: [JSON] = shown.map { n in
                var content = dockerfile.text(lines: n...n).first ?? ""
                for secret in f.masked { content = content.masking(secret) }
                return .object([
                    ("Number", .int(n)),
                    ("Content", .string(content)),
                    ("IsCause", .bool(true)),
                    ("Annotation", .string("")),
                    ("Truncated", .bool(n == shown.last && end > n)),
                    ("FirstCause", .bool(n == start)),
                    ("LastCause", .bool(n == end)),
                ])
            }
            cause.append(("Code", .object([("Lines", .array(lines))])))
        }
        m.append(("CauseMetadata", .object(cause)))
        return .object(m)
    }

    private func passed(_ rule: Rule) -> JSON {
        var m = header(rule, message: "")
        m.append(("Status", .string("PASS")))
        m.append(("CauseMetadata", .object([("Provider", .string("Dockerfile")), ("Service", .string("general"))])))
        return .object(m)
    }

    /// The predictions as JSON (base images, downloads, versioned artefacts), for debugging and for
    /// callers that match them elsewhere.
    public func predictionsJSON() -> JSON {
        func opt(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }
        return .object([
            ("BaseImages", .array(predictions.baseImages.map { b in
                .object([("Stage", .int(b.stage)), ("StageName", opt(b.stageName)), ("Image", .string(b.image)),
                         ("Repository", .string(b.repository)), ("Tag", opt(b.tag)), ("Digest", opt(b.digest)),
                         ("Line", .int(b.line)), ("Scratch", .bool(b.isScratch)), ("StageReference", .bool(b.isStageReference)),
                         ("InFinalImage", .bool(b.isInFinalImage))])
            })),
            ("Downloads", .array(predictions.downloads.map { d in
                .object([("URL", .string(d.url)), ("Scheme", .string(d.scheme)), ("Host", .string(d.host)), ("Tool", .string(d.tool)),
                         ("Line", .int(d.line)), ("Stage", .int(d.stage)), ("FileName", .string(d.fileName))])
            })),
            ("Artefacts", .array(predictions.artefacts.map { a in
                .object([("Kind", .string(a.kind.rawValue)), ("FileName", .string(a.fileName)), ("Name", .string(a.name)),
                         ("Version", .string(a.version)), ("Architecture", opt(a.architecture)),
                         ("Lines", .array(a.lines.map { .int($0) })), ("URLs", .array(a.urls.map(JSON.string))), ("Stage", .int(a.stage))])
            })),
        ])
    }
}

extension String {
    /// Every occurrence of `secret` replaced by asterisks of the same length.
    func masking(_ secret: String) -> String {
        guard !secret.isEmpty else { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.firstRange(of: secret) {
            out += rest[..<r.lowerBound]
            out += String(repeating: "*", count: secret.count)
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
