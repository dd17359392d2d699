import JSONValue
import Scanner

extension TrivyJSONReport {
    /// Trivy's `ExperimentalModifiedFindings` for one result (after its `Vulnerabilities`): each
    /// VEX-suppressed finding of the result as `{Type, Status, Statement, Source, Finding}`, the
    /// finding in the same shape as a reported vulnerability. Nothing when none was kept
    /// (`--show-suppressed` not given).
    func appendSuppressed(_ result: ScanResult, where belongs: (Finding) -> Bool, to r: inout [(String, JSON)]) {
        let modified = result.suppressed.filter { belongs($0.finding) }
        guard !modified.isEmpty else { return }
        r.append(("ExperimentalModifiedFindings", .array(modified.map { s in
            var o: [(String, JSON)] = [("Type", .string("vulnerability")), ("Status", .string(s.status))]
            if !s.statement.isEmpty { o.append(("Statement", .string(s.statement))) }
            o.append(("Source", .string(s.source)))
            o.append(("Finding", findingJSON(s.finding, result)))
            return .object(o)
        })))
    }
}
