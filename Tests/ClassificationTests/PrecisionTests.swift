import Classification
import Foundation
import JSONValue
import Testing
import TestSupport

/// Precision and recall of the classifier against `Fixtures/labelled-sample.tsv`, records read from
/// the real feeds in `../shared/data/feeds` (skipped, with the reason, when they are absent).
@Suite struct PrecisionTests {
    static var feeds: String { SharedData.path("data/feeds") }

    struct Labelled {
        var source: String
        var id: String
        var labels: Set<Category>
        var reason: String
    }

    struct Record {
        var cweIDs: [String]
        var title: String?
        var description: String
    }

    static func sample() throws -> [Labelled] {
        let text = try String(contentsOfFile: Fixture.directory + "/labelled-sample.tsv", encoding: .utf8)
        var out: [Labelled] = []
        for (n, line) in text.split(separator: "\n").enumerated() where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 4 else { throw SampleError("labelled-sample.tsv:\(n + 1): expected 4 tab-separated fields") }
            var labels: Set<Category> = []
            for name in f[2].split(separator: ",") {
                guard let c = Category(name: String(name)) else { throw SampleError("labelled-sample.tsv:\(n + 1): unknown category \(name)") }
                labels.insert(c)
            }
            out.append(Labelled(source: f[0], id: f[1], labels: labels, reason: f[3]))
        }
        return out
    }

    struct SampleError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// Reads one record's CWE ids and text from its feed file.
    static func record(_ l: Labelled, cache: inout [String: JSON]) throws -> Record {
        let path = feeds + "/" + l.source
        if l.source.hasPrefix("ubuntu/uct/") {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            var lines: [String] = []
            var inDescription = false
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("Description:") { inDescription = true; continue }
                if inDescription {
                    if line.hasPrefix(" ") { lines.append(line.trimmingCharacters(in: .whitespaces)) } else { break }
                }
            }
            return Record(cweIDs: [], title: nil, description: lines.joined(separator: " "))
        }
        let json: JSON
        if let cached = cache[path] { json = cached } else {
            json = try JSONParser.parse([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
            cache[path] = json
        }
        if l.source.hasPrefix("nvd/") {
            for v in json["vulnerabilities"]?.arrayValue ?? [] {
                guard let cve = v["cve"], cve["id"]?.stringValue == l.id else { continue }
                let desc = cve["descriptions"]?.arrayValue?.first { $0["lang"]?.stringValue == "en" }?["value"]?.stringValue ?? ""
                let cwes = (cve["weaknesses"]?.arrayValue ?? []).flatMap { w in
                    (w["description"]?.arrayValue ?? []).compactMap { $0["value"]?.stringValue }
                }
                return Record(cweIDs: cwes, title: nil, description: desc)
            }
        } else if l.source.hasPrefix("ubuntu/osv/") {
            let cwes = json["database_specific"]?["cwe_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return Record(cweIDs: cwes, title: json["summary"]?.stringValue, description: json["details"]?.stringValue ?? "")
        } else if l.source.hasPrefix("debian-tracker/") {
            for (_, cves) in json.objectValue ?? [] {
                if let r = cves[l.id] { return Record(cweIDs: [], title: nil, description: r["description"]?.stringValue ?? "") }
            }
        }
        throw SampleError("\(l.id) not found in \(l.source)")
    }

    struct Score {
        var tp = 0, fp = 0, fn = 0
        var precision: Double { tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp) }
        var recall: Double { tp + fn == 0 ? 1 : Double(tp) / Double(tp + fn) }
    }

    static func evaluate(_ classifier: Classifier, _ sample: [Labelled], _ records: [Record], verbose: Bool) -> (per: [Category: Score], all: Score) {
        score(classifier, zip(sample, records).map { l, r in
            (labels: l.labels, facts: VulnerabilityFacts(cweIDs: r.cweIDs, title: r.title, description: r.description), id: l.id, reason: l.reason)
        }, verbose: verbose)
    }

    /// Per-category and micro counts of the classifier against labelled records (shared with
    /// `HeldOutTests`); `verbose` prints each disagreement with the classifier's reasons.
    static func score(_ classifier: Classifier, _ items: [(labels: Set<Category>, facts: VulnerabilityFacts, id: String, reason: String)],
                      verbose: Bool) -> (per: [Category: Score], all: Score) {
        var per: [Category: Score] = [:]
        var all = Score()
        for item in items {
            let decision = classifier.classify(item.facts)
            let got = Set(decision.categories)
            for c in Category.allCases {
                switch (got.contains(c), item.labels.contains(c)) {
                case (true, true): per[c, default: Score()].tp += 1; all.tp += 1
                case (true, false): per[c, default: Score()].fp += 1; all.fp += 1
                case (false, true): per[c, default: Score()].fn += 1; all.fn += 1
                case (false, false): break
                }
            }
            if verbose, got != item.labels {
                let why = decision.orderedReasons.map { "\($0.0): \($0.1)" }.joined(separator: "; ")
                print("  \(item.id): labelled \(item.labels.sorted().map(\.shortName)) got \(got.sorted().map(\.shortName)) [\(why)] — \(item.reason)")
            }
        }
        return (per, all)
    }

    static func table(_ name: String, _ result: (per: [Category: Score], all: Score)) -> String {
        func pct(_ x: Double) -> String { String(format: "%5.1f%%", x * 100) }
        var out = "\(name)\n  category                 TP  FP  FN  precision  recall\n"
        for c in Category.allCases {
            let s = result.per[c] ?? Score()
            out += "  " + c.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0)
                + String(format: " %3d %3d %3d", s.tp, s.fp, s.fn) + "     " + pct(s.precision) + "  " + pct(s.recall) + "\n"
        }
        var named = Score()
        for c in Category.allCases where c != .other {
            let s = result.per[c] ?? Score()
            named.tp += s.tp; named.fp += s.fp; named.fn += s.fn
        }
        out += "  " + "named, micro".padding(toLength: 22, withPad: " ", startingAt: 0)
            + String(format: " %3d %3d %3d", named.tp, named.fp, named.fn) + "     " + pct(named.precision) + "  " + pct(named.recall) + "\n"
        let a = result.all
        out += "  " + "all with other, micro".padding(toLength: 22, withPad: " ", startingAt: 0)
            + String(format: " %3d %3d %3d", a.tp, a.fp, a.fn) + "     " + pct(a.precision) + "  " + pct(a.recall) + "\n"
        return out
    }

    @Test(.requiresShared("data/feeds/cwe/cwe-v4.14.csv")) func precisionOnHandLabelledSample() throws {
        let sample = try Self.sample()
        #expect(sample.count >= 100)
        var cache: [String: JSON] = [:]
        let records = try sample.map { try Self.record($0, cache: &cache) }
        let hierarchy = try Fixture.table(csv: Self.feeds + "/cwe/cwe-v4.14.csv")
        print("labelled sample: \(sample.count) records, \(records.filter { !$0.cweIDs.isEmpty }.count) with CWE ids")
        let strict = Self.evaluate(Classifier(hierarchy: hierarchy, textUse: .whenCWEIsSilent), sample, records, verbose: false)
        print(Self.table("text only when the CWE is silent:", strict))
        print("disagreements with the default classifier:")
        let standard = Self.evaluate(Classifier(hierarchy: hierarchy), sample, records, verbose: true)
        print(Self.table("default (impact phrases always):", standard))
        #expect(standard.all.precision >= 0.9)
        #expect(standard.all.recall >= 0.75)
        for c in Category.allCases where c != .other {
            #expect((standard.per[c] ?? Score()).precision >= 0.8, "precision of \(c)")
        }
    }
}
