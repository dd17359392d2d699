import Classification
import JSONValue

/// `vigil report summary`: how many vulnerabilities of each severity fall in each category.
/// A vulnerability with several categories counts once in each category row and once in the total.
public struct ReportSummary: Sendable, Equatable {
    /// Severities in report order; others seen in the input follow.
    public static let severities = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"]

    public var total = 0
    public var bySeverity: [String: Int] = [:]
    public var byCategory: [Category: [String: Int]] = [:]
    /// Severity words in the order they should be shown.
    public var severityOrder: [String] = ReportSummary.severities

    public init() {}

    /// Counts one vulnerability object.
    public mutating func add(_ vulnerability: JSON, classifier: Classifier) {
        let severity = (vulnerability["Severity"]?.stringValue ?? "UNKNOWN").uppercased()
        if !severityOrder.contains(severity) { severityOrder.append(severity) }
        total += 1
        bySeverity[severity, default: 0] += 1
        for c in VulnerabilityCategories.categories(of: vulnerability, classifier: classifier) {
            byCategory[c, default: [:]][severity, default: 0] += 1
        }
    }

    /// Streams the report at `path`.
    public static func read(reportAt path: String, classifier: Classifier) throws(ReportError) -> ReportSummary {
        var visitor = Visitor(classifier: classifier)
        try ReportStreamReader(path: path).read(into: &visitor)
        return visitor.summary
    }

    struct Visitor: ReportVisitor {
        let classifier: Classifier
        var summary = ReportSummary()
        mutating func header(_ members: [(String, JSON)]) {}
        mutating func beginResult(_ members: [(String, JSON)]) {}
        mutating func vulnerability(_ v: JSON) { summary.add(v, classifier: classifier) }
        mutating func endResult(_ members: [(String, JSON)]) {}
        mutating func end(_ members: [(String, JSON)]) {}
    }

    /// A text table: categories down, severities across, totals last.
    public func text() -> String {
        let columns = severityOrder + ["Total"]
        var rows: [[String]] = []
        for c in Category.allCases {
            let counts = byCategory[c] ?? [:]
            rows.append([c.rawValue] + severityOrder.map { String(counts[$0] ?? 0) } + [String(counts.values.reduce(0, +))])
        }
        rows.append(["all vulnerabilities"] + severityOrder.map { String(bySeverity[$0] ?? 0) } + [String(total)])
        let header = ["Category"] + columns
        var widths = header.map(\.count)
        for r in rows { for (i, cell) in r.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == 0 ? c + String(repeating: " ", count: widths[i] - c.count) : String(repeating: " ", count: widths[i] - c.count) + c
            }.joined(separator: "  ") + "\n"
        }
        var out = line(header)
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for (i, r) in rows.enumerated() {
            if i == rows.count - 1 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
            out += line(r)
        }
        out += "(a vulnerability in several categories is counted in each category row, once in the last row)\n"
        return out
    }

    /// `{"Total": n, "Severities": {...}, "Categories": {"buffer-overflow": {"CRITICAL": 1, …, "Total": 3}, …}}`.
    public func json() -> JSON {
        func counts(_ c: [String: Int]) -> JSON {
            .object(severityOrder.map { ($0, .int(c[$0] ?? 0)) } + [("Total", .int(c.values.reduce(0, +)))])
        }
        return .object([
            ("Total", .int(total)),
            ("Severities", counts(bySeverity)),
            ("Categories", .object(Category.allCases.map { ($0.rawValue, counts(byCategory[$0] ?? [:])) })),
        ])
    }
}
