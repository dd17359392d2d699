import VigilCore

extension ConfigScanResult {
    /// Trivy's text layout for misconfigurations: a header with test and failure counts, then for
    /// each failure its severity and message, description, link, and the source lines it is about.
    public func table(width: Int = 100) -> String {
        let heavy = String(repeating: "═", count: width), light = String(repeating: "─", count: width)
        var out = "\n\(target) (dockerfile)\n" + String(repeating: "=", count: target.count + 13) + "\n"
        out += "Tests: \(rules.count) (SUCCESSES: \(passedRules.count), FAILURES: \(failures.count))\n"
        let c = counts
        out += "Failures: \(failures.count) (" + Severity.allCases.map { "\($0): \(c[$0] ?? 0)" }.joined(separator: ", ") + ")\n"
        for f in failures {
            out += "\n\(f.rule.id) (\(f.rule.severity)): \(f.message)\n\(heavy)\n\(f.rule.description)\n\n"
            if let url = f.rule.primaryURL { out += "See \(url)\n" } else { out += "See docs/config-checks.md#\(f.rule.id.lowercased())\n" }
            guard let start = f.startLine, let end = f.endLine else { continue }
            out += "\(light)\n \(target):\(start == end ? "\(start)" : "\(start)-\(end)")\n\(light)\n"
            let shown = Array(start...min(end, start + 9))
            let numberWidth = String(shown.last ?? start).count
            for n in shown {
                var content = dockerfile.text(lines: n...n).first ?? ""
                for secret in f.masked { content = content.masking(secret) }
                let number = String(repeating: " ", count: numberWidth - String(n).count) + String(n)
                out += " \(number) [ \(content)\n"
            }
            if end > shown.last! { out += " " + String(repeating: " ", count: numberWidth) + "   …\n" }
            out += "\(light)\n"
        }
        return out
    }
}
