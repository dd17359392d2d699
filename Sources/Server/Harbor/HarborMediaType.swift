/// The media types of the Harbor Pluggable Scanner Adapter API v1.2.
enum HarborMediaType {
    static let metadata = "application/vnd.scanner.adapter.metadata+json; version=1.1"
    static let scanResponse = "application/vnd.scanner.adapter.scan.response+json; version=1.0"
    static let error = "application/vnd.scanner.adapter.error+json; version=1.0"
    static let harborReport = "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0"
    static let vulnerabilityReport = "application/vnd.security.vulnerability.report; version=1.1"
    static let rawReport = "application/vnd.scanner.adapter.vuln.report.raw"
    static let sbomReport = "application/vnd.security.sbom.report+json; version=1.0"
    static let spdx = "application/spdx+json"
    static let cycloneDX = "application/vnd.cyclonedx+json"

    /// The report kinds `GET /scan/{id}/report` can answer with.
    enum Report: Equatable {
        case vulnerabilities(String)
        case raw
        case sbom
    }

    /// The report an `Accept` header asks for: the first media type (in the header's order)
    /// this adapter produces; nil when it names none. No header or `*/*` means Harbor's report.
    static func report(accepting accept: String?) -> Report? {
        guard let accept, !accept[...].trimmingSpaces().isEmpty else { return .vulnerabilities(harborReport) }
        for item in accept.split(separator: ",") {
            let normalized = normalize(item)
            if normalized == "*/*" || normalized == "application/*" { return .vulnerabilities(harborReport) }
            if normalized == normalize(harborReport[...]) { return .vulnerabilities(harborReport) }
            if normalized == normalize(vulnerabilityReport[...]) { return .vulnerabilities(vulnerabilityReport) }
            if normalized == normalize(rawReport[...]) { return .raw }
            if normalized == normalize(sbomReport[...]) { return .sbom }
        }
        return nil
    }

    /// Lowercase, spaces and a `q=` weight removed: `application/x; version=1.0`.
    static func normalize(_ text: Substring) -> String {
        text.split(separator: ";").map { $0.trimmingSpaces().lowercased() }
            .filter { !$0.hasPrefix("q=") && !$0.isEmpty }.joined(separator: ";")
    }
}
