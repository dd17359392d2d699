import Analyzers
import Scanner
import VigilCore

/// Trivy's table: a header per target, a severity total line, and a box-drawn table.
public struct TableReport {
    /// ANSI colours for severities (only on a terminal).
    public var color: Bool
    /// Longest title shown before it is cut.
    public var titleWidth = 60

    public init(color: Bool) { self.color = color }

    public func render(_ result: ScanResult) -> String {
        let osFindings = result.findings.filter { $0.package.format.languageEcosystem == nil && $0.package.format != .unmanaged }
        // Without an OS, a scan that found language packages shows only their sections.
        let osSection = result.inventory.os != nil || !result.inventory.packages.isEmpty || result.inventory.applications.isEmpty
        var out = osSection ? section(result.target, osFindings, noOS: result.inventory.os == nil) : ""
        // One section per lockfile (or `Python` for installed packages), as Trivy prints them.
        for app in result.inventory.applications {
            let findings = result.findings.filter { f in
                f.package.format == app.type && (app.type.isIndividualPackage || f.package.databasePath == app.filePath)
            }
            out += section("\(app.target) (\(app.type.rawValue))", findings, noOS: false)
        }
        // One section per piece of unmanaged software, named by its evidence file.
        for software in result.inventory.unmanaged {
            let findings = result.findings.filter { $0.package.format == .unmanaged && $0.package.databasePath == software.path && $0.package.name == software.name }
            out += section("\(software.path) (\(software.kind.rawValue) \(software.name) \(software.version))", findings, noOS: false)
        }
        for config in result.configFindings { out += ConfigReport.table(config, color: color) }
        out += suppressedSection(result)
        return out
    }

    func section(_ target: String, _ findings: [Finding], noOS: Bool) -> String {
        var out = "\n"
        out += target + "\n"
        out += String(repeating: "=", count: target.count) + "\n"
        var counts: [Severity: Int] = [:]
        for f in findings { counts[f.severity, default: 0] += 1 }
        out += "Total: \(findings.count) ("
        out += Severity.allCases.map { "\($0): \(counts[$0] ?? 0)" }.joined(separator: ", ")
        out += ")\n"
        if noOS {
            out += "\nNo supported OS detected: no OS package vulnerabilities can be reported.\n"
        }
        guard !findings.isEmpty else { return out + "\n" }
        out += "\n"
        let header = ["Library", "Vulnerability", "Severity", "Status", "Installed Version", "Fixed Version", "Title"]
        var rows: [[String]] = []
        var groupStarts: Set<Int> = []
        var previous: String?
        for f in findings {
            let key = f.package.name + "@" + f.package.version
            if key != previous { groupStarts.insert(rows.count) }
            let title = f.title.map { $0.count > titleWidth ? String($0.prefix(titleWidth - 1)) + "…" : $0 }
            let shown = [title, f.primaryURL].compactMap { $0 }.joined(separator: "\n")
            rows.append([key == previous ? "" : f.package.name, f.vulnerabilityID, f.severity.description, f.status,
                         f.package.version, f.fixedVersion ?? "", shown])
            previous = key
        }
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() {
                for line in cell.split(separator: "\n") { widths[i] = max(widths[i], line.count) }
            }
        }
        func rule(_ l: String, _ m: String, _ r: String) -> String {
            l + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: m) + r + "\n"
        }
        func line(_ cells: [String], centered: Bool = false, severityColumn: Severity? = nil) -> String {
            let split = cells.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
            let height = split.map(\.count).max() ?? 1
            var text = ""
            for h in 0..<height {
                text += "│"
                for (i, cellLines) in split.enumerated() {
                    let c = h < cellLines.count ? cellLines[h] : ""
                    let pad = widths[i] - c.count
                    var shown = c
                    if let s = severityColumn, i == 2, !c.isEmpty, color { shown = Self.paint(c, s) }
                    if centered {
                        let left = pad / 2
                        text += " " + String(repeating: " ", count: left) + shown + String(repeating: " ", count: pad - left) + " │"
                    } else {
                        text += " " + shown + String(repeating: " ", count: pad) + " │"
                    }
                }
                text += "\n"
            }
            return text
        }
        out += rule("┌", "┬", "┐")
        out += line(header, centered: true)
        out += rule("├", "┼", "┤")
        for (i, row) in rows.enumerated() {
            if i > 0, groupStarts.contains(i) { out += rule("├", "┼", "┤") }
            out += line(row, severityColumn: findings[i].severity)
        }
        out += rule("└", "┴", "┘")
        return out
    }

    static func paint(_ s: String, _ severity: Severity) -> String {
        let code: String
        switch severity {
        case .critical: code = "31"
        case .high: code = "91"
        case .medium: code = "33"
        case .low: code = "34"
        case .unknown: code = "37"
        }
        return "\u{1B}[\(code)m\(s)\u{1B}[0m"
    }
}
