import Classification
import Foundation
import JSONValue
import VigilCore

/// One standalone HTML page: inline CSS and JavaScript, severity and category charts drawn as inline
/// SVG, and a sortable, filterable table. It loads nothing from the network, and every piece of
/// report text is HTML-escaped (a description holding `<script>` shows as text).
public struct HTMLReport {
    public init() {}

    static let severityColors: [(String, String)] = [
        ("CRITICAL", "#b3001b"), ("HIGH", "#e4572e"), ("MEDIUM", "#f3a712"), ("LOW", "#2e86ab"), ("UNKNOWN", "#8d99ae"),
    ]
    static let categoryColors = ["#d1495b", "#edae49", "#8e44ad", "#00798c", "#30638e", "#66a182", "#f46036", "#2e294e", "#a8a8a8"]

    /// Escapes text for element content and quoted attributes.
    public static func escape(_ s: String) -> String { HTMLText.escape(s) }

    public func render(_ report: JSON) -> String {
        let items = ReportItem.all(report)
        let artifact = report["ArtifactName"]?.stringValue ?? "report"
        var severityCounts: [String: Int] = [:]
        var categoryCounts: [String: Int] = [:]
        for item in items {
            severityCounts[item.severity, default: 0] += 1
            for c in item.categories { categoryCounts[c, default: 0] += 1 }
        }
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Vigil report: \(Self.escape(artifact))</title>
        <style>\(Self.css)</style>
        </head>
        <body>
        <header><h1>Vigil vulnerability report</h1>
        <p class="meta"><strong>\(Self.escape(artifact))</strong>
        """
        if let os = report["Metadata"]?["OS"] {
            html += " · " + Self.escape("\(os["Family"]?.stringValue ?? "") \(os["Name"]?.stringValue ?? "")")
        }
        if let created = report["CreatedAt"]?.stringValue { html += " · scanned " + Self.escape(created) }
        html += " · \(items.count) vulnerabilities</p></header>\n<section class=\"charts\">\n"
        html += severityChart(severityCounts, total: items.count)
        html += categoryChart(categoryCounts, findings: items.count)
        html += "</section>\n"
        html += """
        <section class="controls">
        <input id="filter" type="search" placeholder="Filter by id, package, title…" aria-label="Filter">
        <select id="severity" aria-label="Severity"><option value="">All severities</option>
        """
        for (s, _) in Self.severityColors { html += "<option>\(s)</option>" }
        html += "</select>\n<select id=\"category\" aria-label=\"Category\"><option value=\"\">All categories</option>"
        for c in Category.allCases { html += "<option>\(c.rawValue)</option>" }
        html += "</select>\n<span id=\"shown\"></span>\n</section>\n"
        html += """
        <table id="vulns">
        <thead><tr><th data-key="sev">Severity</th><th>Vulnerability</th><th>Package</th><th>Installed</th><th>Fixed</th><th>Categories</th><th>Target</th><th>Title</th></tr></thead>
        <tbody>

        """
        let rank = ["CRITICAL": 4, "HIGH": 3, "MEDIUM": 2, "LOW": 1]
        for item in items {
            let color = Self.severityColors.first { $0.0 == item.severity }?.1 ?? "#8d99ae"
            let link = item.string("PrimaryURL") ?? ""
            let idCell = link.hasPrefix("https://") || link.hasPrefix("http://")
                ? "<a href=\"\(Self.escape(link))\" rel=\"noreferrer noopener\">\(Self.escape(item.id))</a>" : Self.escape(item.id)
            let cats = item.categories.joined(separator: " ")
            html += "<tr data-sev=\"\(rank[item.severity] ?? 0)\" data-severity=\"\(Self.escape(item.severity))\" data-categories=\"\(Self.escape(cats))\">"
            html += "<td><span class=\"sev\" style=\"background:\(color)\">\(Self.escape(item.severity))</span></td>"
            html += "<td>\(idCell)</td><td>\(Self.escape(item.packageName))</td><td>\(Self.escape(item.installedVersion))</td>"
            html += "<td>\(Self.escape(item.string("FixedVersion") ?? ""))</td>"
            let reasons = item.vulnerability["CategoryReasons"]
            html += "<td>" + item.categories.map { c in
                guard let why = reasons?[c]?.stringValue else { return "<span class=\"cat\">\(Self.escape(c))</span>" }
                return "<span class=\"cat\" title=\"\(Self.escape(why))\">\(Self.escape(c))</span><small class=\"why\">\(Self.escape(why))</small>"
            }.joined(separator: " ") + "</td>"
            html += "<td>\(Self.escape(item.target))</td>"
            html += "<td title=\"\(Self.escape(item.string("Description") ?? ""))\">\(Self.escape(item.string("Title") ?? item.string("Description").map { String($0.prefix(120)) } ?? ""))</td></tr>\n"
        }
        html += "</tbody>\n</table>\n<script>\(Self.script)</script>\n</body>\n</html>\n"
        return html
    }

    func severityChart(_ counts: [String: Int], total: Int) -> String {
        let maxCount = max(counts.values.max() ?? 0, 1)
        let barMax = 300.0
        var svg = "<figure><figcaption>By severity</figcaption><svg role=\"img\" aria-label=\"Vulnerabilities by severity\" width=\"440\" height=\"190\" viewBox=\"0 0 440 190\">"
        for (i, (s, color)) in Self.severityColors.enumerated() {
            let n = counts[s] ?? 0
            let y = 10 + i * 34
            let w = n == 0 ? 0 : max(2, Double(n) / Double(maxCount) * barMax)
            svg += "<text x=\"0\" y=\"\(y + 17)\" class=\"lbl\">\(s)</text>"
            svg += "<rect x=\"90\" y=\"\(y)\" width=\"\(String(format: "%.1f", w))\" height=\"24\" rx=\"3\" fill=\"\(color)\"><title>\(s): \(n)</title></rect>"
            svg += "<text x=\"\(String(format: "%.1f", 96 + w))\" y=\"\(y + 17)\" class=\"num\">\(n)</text>"
        }
        return svg + "</svg></figure>\n"
    }

    func categoryChart(_ counts: [String: Int], findings: Int) -> String {
        let total = counts.values.reduce(0, +)
        let r = 70.0
        let circumference = 2 * Double.pi * r
        var svg = "<figure><figcaption>By category <small>(a finding may have several)</small></figcaption><svg role=\"img\" aria-label=\"Vulnerabilities by category\" width=\"460\" height=\"190\" viewBox=\"0 0 460 190\">"
        svg += "<circle cx=\"95\" cy=\"95\" r=\"\(Int(r))\" fill=\"none\" stroke=\"#e9ecef\" stroke-width=\"34\"/>"
        var offset = 0.0
        for (i, c) in Category.allCases.enumerated() {
            let n = counts[c.rawValue] ?? 0
            let color = Self.categoryColors[i]
            if n > 0, total > 0 {
                let len = Double(n) / Double(total) * circumference
                svg += "<circle cx=\"95\" cy=\"95\" r=\"\(Int(r))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"34\" "
                    + "stroke-dasharray=\"\(String(format: "%.2f %.2f", len, circumference - len))\" stroke-dashoffset=\"\(String(format: "%.2f", -offset))\" "
                    + "transform=\"rotate(-90 95 95)\"><title>\(c.rawValue): \(n)</title></circle>"
                offset += len
            }
            let y = 14 + i * 19
            svg += "<rect x=\"200\" y=\"\(y - 10)\" width=\"12\" height=\"12\" fill=\"\(color)\"/><text x=\"218\" y=\"\(y)\" class=\"lbl\">\(c.rawValue) (\(n))</text>"
        }
        svg += "<text x=\"95\" y=\"100\" text-anchor=\"middle\" class=\"num\">\(findings)</text>"
        return svg + "</svg></figure>\n"
    }

    static let css = """
    body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d2430;background:#fafbfc}
    h1{font-size:22px;margin:0 0 4px}.meta{color:#555;margin:0 0 16px}
    .charts{display:flex;gap:32px;flex-wrap:wrap}figure{margin:0;background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:12px}
    figcaption{font-weight:600;margin-bottom:6px}.lbl{font-size:13px;fill:#333}.num{font-size:13px;font-weight:600;fill:#222}
    .controls{margin:18px 0 10px;display:flex;gap:10px;align-items:center}input,select{padding:6px 8px;border:1px solid #c4cad1;border-radius:4px;font-size:14px}
    input{width:320px}#shown{color:#666;font-size:13px}
    table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}th,td{border-bottom:1px solid #e6e8eb;padding:6px 8px;text-align:left;vertical-align:top}
    th{background:#f0f2f5;cursor:pointer;user-select:none;position:sticky;top:0}th.asc::after{content:" ▲"}th.desc::after{content:" ▼"}
    .sev{color:#fff;border-radius:3px;padding:2px 6px;font-size:11px;font-weight:700}.cat{background:#eef1f5;border-radius:3px;padding:1px 5px;margin-right:2px;white-space:nowrap}.why{display:block;color:#5a6270;font-size:10px;margin:0 0 2px 2px}
    a{color:#1f5fa8}
    """

    static let script = """
    (function(){
    var tbody=document.querySelector('#vulns tbody');var rows=Array.prototype.slice.call(tbody.rows);
    var f=document.getElementById('filter'),s=document.getElementById('severity'),c=document.getElementById('category'),shown=document.getElementById('shown');
    function apply(){var q=f.value.toLowerCase(),sv=s.value,cv=c.value,n=0;
    rows.forEach(function(r){var ok=(!q||r.textContent.toLowerCase().indexOf(q)>=0)&&(!sv||r.getAttribute('data-severity')===sv)&&(!cv||(' '+r.getAttribute('data-categories')+' ').indexOf(' '+cv+' ')>=0);
    r.style.display=ok?'':'none';if(ok)n++;});shown.textContent=n+' of '+rows.length+' shown';}
    [f,s,c].forEach(function(e){e.addEventListener('input',apply);e.addEventListener('change',apply);});
    Array.prototype.forEach.call(document.querySelectorAll('#vulns th'),function(th,i){th.addEventListener('click',function(){
    var asc=!th.classList.contains('asc');Array.prototype.forEach.call(th.parentNode.children,function(h){h.classList.remove('asc','desc');});
    th.classList.add(asc?'asc':'desc');var sev=th.getAttribute('data-key')==='sev';
    rows.sort(function(a,b){var x=sev?+a.getAttribute('data-sev'):a.cells[i].textContent.toLowerCase(),y=sev?+b.getAttribute('data-sev'):b.cells[i].textContent.toLowerCase();
    return (x<y?-1:x>y?1:0)*(asc?1:-1);});rows.forEach(function(r){tbody.appendChild(r);});});});
    apply();})();
    """
}
