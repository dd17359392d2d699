/// CVSS base scores computed from vectors.
///
/// OSV publishes vectors only; the report and severity fallback need numbers, so the importers
/// compute them with the formulas from the FIRST specifications (v2 section 3.2.1, v3.0/v3.1
/// section 7.1 and appendix A for rounding).
public enum CVSSScore {
    /// The v3.0/v3.1 base score of `vector` (`CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` → 9.8),
    /// or nil when a base metric is missing, repeated or has an unknown value.
    ///
    /// Temporal and environmental metrics in the vector are ignored: the base score is what feeds
    /// and Trivy report.
    public static func v3(_ vector: String) -> Double? {
        var parts = vector.split(separator: "/")
        guard let first = parts.first else { return nil }
        guard first == "CVSS:3.0" || first == "CVSS:3.1" else { return nil }
        parts.removeFirst()
        guard let metrics = metricsByName(parts) else { return nil }

        guard let scope = metrics["S"], scope == "U" || scope == "C" else { return nil }
        let changed = scope == "C"
        let av: [Substring: Double] = ["N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2]
        let ac: [Substring: Double] = ["L": 0.77, "H": 0.44]
        let pr: [Substring: Double] = changed ? ["N": 0.85, "L": 0.68, "H": 0.5] : ["N": 0.85, "L": 0.62, "H": 0.27]
        let ui: [Substring: Double] = ["N": 0.85, "R": 0.62]
        let cia: [Substring: Double] = ["H": 0.56, "L": 0.22, "N": 0]
        guard let avValue = metrics["AV"].flatMap({ av[$0] }), let acValue = metrics["AC"].flatMap({ ac[$0] }),
              let prValue = metrics["PR"].flatMap({ pr[$0] }), let uiValue = metrics["UI"].flatMap({ ui[$0] }),
              let c = metrics["C"].flatMap({ cia[$0] }), let i = metrics["I"].flatMap({ cia[$0] }),
              let a = metrics["A"].flatMap({ cia[$0] })
        else { return nil }

        let iss = 1 - (1 - c) * (1 - i) * (1 - a)
        let impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow15(iss - 0.02) : 6.42 * iss
        let exploitability = 8.22 * avValue * acValue * prValue * uiValue
        guard impact > 0 else { return 0 }
        let raw = changed ? min(1.08 * (impact + exploitability), 10) : min(impact + exploitability, 10)
        // v3.0 specifies plain ceil(x * 10) / 10, which turns binary noise such as 9.800000001
        // into 9.9; v3.1's Roundup is the intended arithmetic done exactly, so both use it.
        return roundUp(raw)
    }

    /// The v2 base score of `vector` (`AV:N/AC:L/Au:N/C:P/I:N/A:N` → 5.0), or nil when a base
    /// metric is missing or unknown. Accepts the NVD form in parentheses and a `CVSS:2.0/` prefix.
    public static func v2(_ vector: String) -> Double? {
        var text = Substring(vector)
        if text.hasPrefix("("), text.hasSuffix(")") { text = text.dropFirst().dropLast() }
        if text.hasPrefix("CVSS:2.0/") { text = text.dropFirst("CVSS:2.0/".count) }
        guard let metrics = metricsByName(text.split(separator: "/")) else { return nil }
        let av: [Substring: Double] = ["L": 0.395, "A": 0.646, "N": 1.0]
        let ac: [Substring: Double] = ["H": 0.35, "M": 0.61, "L": 0.71]
        let au: [Substring: Double] = ["M": 0.45, "S": 0.56, "N": 0.704]
        let cia: [Substring: Double] = ["N": 0, "P": 0.275, "C": 0.660]
        guard let avValue = metrics["AV"].flatMap({ av[$0] }), let acValue = metrics["AC"].flatMap({ ac[$0] }),
              let auValue = metrics["Au"].flatMap({ au[$0] }),
              let c = metrics["C"].flatMap({ cia[$0] }), let i = metrics["I"].flatMap({ cia[$0] }),
              let a = metrics["A"].flatMap({ cia[$0] })
        else { return nil }
        let impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a))
        let exploitability = 20 * avValue * acValue * auValue
        let f = impact == 0 ? 0 : 1.176
        let raw = (0.6 * impact + 0.4 * exploitability - 1.5) * f
        // v2 rounds to one decimal half-up; the epsilon absorbs binary noise such as 4.9499999.
        return max(0, ((raw * 10) + 1e-9).rounded() / 10)
    }

    /// `name:value` pairs; nil when a component is not of that shape or a metric repeats.
    private static func metricsByName(_ parts: [Substring]) -> [Substring: Substring]? {
        var metrics: [Substring: Substring] = [:]
        for part in parts {
            let pair = part.split(separator: ":", omittingEmptySubsequences: false)
            guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty else { return nil }
            guard metrics.updateValue(pair[1], forKey: pair[0]) == nil else { return nil }
        }
        return metrics
    }

    private static func pow15(_ x: Double) -> Double {
        var result = 1.0
        for _ in 0..<15 { result *= x }
        return result
    }

    /// CVSS v3.1 Roundup (appendix A): integer arithmetic so 4.00000000001 stays 4.0.
    private static func roundUp(_ value: Double) -> Double {
        let scaled = Int((value * 100_000).rounded())
        if scaled % 10_000 == 0 { return Double(scaled) / 100_000 }
        return Double(scaled / 10_000 + 1) / 10
    }
}
