import Versioning
import VigilCore

/// Parses one Ubuntu CVE tracker file (`active/CVE-2014-6271`, `retired/…`): RFC 822-like
/// `Field: value` lines with indented continuations, then per-package stanzas of status lines
/// `release_package: status (note)`.
///
/// Statuses (the tracker's own vocabulary):
///
/// | status | stored as |
/// |---|---|
/// | `released (VERSION)` | `fixed` in VERSION |
/// | `needed`, `pending`, `deferred`, `active` | `affected` (no fix published yet) |
/// | `not-affected` | `not_affected` |
/// | `ignored (end of life / out of standard support …)` | `end_of_life` |
/// | `ignored (anything else)` | `will_not_fix` |
/// | `DNE` (package not in that release), `needs-triage` | nothing (counted as skipped) |
///
/// Severity is `Priority:`, overridden by `Priority_PACKAGE:` and `Priority_PACKAGE_RELEASE:`;
/// `untriaged` means none. Any other status word, an unclosed note or a line that is neither a
/// field nor a status line is a `.malformedFeed` error naming the file and line.
enum UbuntuCVETrackerImporter {
    static let source = "ubuntu"

    private struct Status {
        var line: Int
        var release: String
        var package: String
        var word: String
        var note: String?
    }

    static func parse(path: String, data: [UInt8]) throws(VulnDBError) -> FeedParseResult {
        var fields: [String: [String]] = [:]
        var fieldOrder: [String] = []
        var statuses: [Status] = []
        var currentField: String?

        var lineNumber = 0
        var start = 0
        if data.count >= 3, data[0] == 0xEF, data[1] == 0xBB, data[2] == 0xBF { start = 3 }
        while start < data.count {
            lineNumber += 1
            var end = FeedBytes.index(of: UInt8(ascii: "\n"), in: data, from: start) ?? data.count
            let next = end + 1
            if end > start, data[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            defer { start = next }
            let bytes = data[start..<end]
            guard let first = bytes.first else {
                currentField = nil
                continue
            }
            let line = String(decoding: bytes, as: UTF8.self)
            if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
                let text = line.trimmingBlanks()
                guard !text.isEmpty else { continue }
                guard let field = currentField else {
                    throw VulnDBError(.malformedFeed, "\(path):\(lineNumber): indented line outside any field: \(FeedText.oneLine(line.prefix(80)))")
                }
                fields[field, default: []].append(text)
                continue
            }
            if first == UInt8(ascii: "#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw VulnDBError(.malformedFeed, "\(path):\(lineNumber): malformed line (expected `Field: value` or `release_package: status`): \(FeedText.oneLine(line.prefix(80)))")
            }
            let key = String(line[..<colon])
            let value = String(line[line.index(after: colon)...]).trimmingBlanks()
            guard !key.isEmpty, !key.contains(" ") else {
                throw VulnDBError(.malformedFeed, "\(path):\(lineNumber): malformed field name '\(FeedText.oneLine(key.prefix(40)))'")
            }
            if let firstChar = key.unicodeScalars.first, ("a"..."z").contains(firstChar),
               let underscore = key.firstIndex(of: "_") {
                // A status line: release (may contain `/`) before the first `_`; Debian package
                // names never contain `_`.
                let release = String(key[..<underscore])
                let package = String(key[key.index(after: underscore)...])
                guard !release.isEmpty, !package.isEmpty else {
                    throw VulnDBError(.malformedFeed, "\(path):\(lineNumber): malformed status line key '\(key)'")
                }
                let (word, note) = try statusWord(value, path: path, line: lineNumber)
                statuses.append(Status(line: lineNumber, release: release, package: package, word: word, note: note))
                currentField = nil
            } else {
                if fields[key] == nil { fieldOrder.append(key) }
                fields[key] = value.isEmpty ? [] : [value]
                currentField = key
            }
        }

        var result = FeedParseResult()
        func single(_ name: String) -> String? {
            guard let lines = fields[name], !lines.isEmpty else { return nil }
            let text = lines.joined(separator: " ")
            return text.isEmpty ? nil : text
        }
        var candidate = single("Candidate")
        if candidate == nil {
            // Older files carry the id only in their name.
            let base = path.split(separator: "/").last.map(String.init) ?? path
            if base.hasPrefix("CVE-") { candidate = base }
        }
        guard let vulnerabilityID = candidate else {
            // `00boilerplate.*` templates: fields without a CVE.
            result.skip("UCT file without a Candidate (template)")
            return result
        }
        guard fields["Candidate"] != nil || !statuses.isEmpty else {
            throw VulnDBError(.malformedFeed, "\(path): not an Ubuntu CVE tracker file (no Candidate field and no status lines)")
        }

        let priority = single("Priority").flatMap(severityWord)
        var packagePriority: [String: String] = [:]
        for key in fieldOrder where key.hasPrefix("Priority_") {
            if let word = single(key).flatMap(severityWord) {
                packagePriority[String(key.dropFirst("Priority_".count))] = word
            }
        }

        for status in statuses {
            guard let ecosystem = UbuntuReleases.ecosystem(forTrackerRelease: status.release) else {
                result.skip("release '\(status.release)' without an installable Ubuntu version")
                continue
            }
            let record: AdvisoryStatus
            var fixed: String?
            switch status.word {
            case "released":
                guard let version = status.note, !version.isEmpty, !version.contains(" ") else {
                    result.skip("released without a version")
                    continue
                }
                record = .fixed
                fixed = version
            case "needed", "pending", "deferred", "active":
                record = .affected
            case "not-affected":
                record = .notAffected
            case "ignored":
                let note = status.note?.lowercased() ?? ""
                record = note.contains("end of life") || note.contains("end-of-life") || note.contains("standard support")
                    || note.contains("out of support") ? .endOfLife : .willNotFix
            case "DNE":
                result.skip("DNE (package not in release)")
                continue
            default: // needs-triage
                result.skip("needs-triage")
                continue
            }
            let severity = packagePriority["\(status.package)_\(status.release)"] ?? packagePriority[status.package] ?? priority
            result.batch.advisories.append(AdvisoryRecord(
                vulnerabilityID: vulnerabilityID, ecosystem: ecosystem, packageName: status.package, status: record,
                fixedVersion: fixed, vendorSeverity: severity, source: source))
        }

        var references: [String] = []
        for line in fields["References"] ?? [] {
            for word in line.split(separator: " ") where word.contains("://") {
                FeedText.appendUnique(String(word), to: &references)
            }
        }
        var cvss: [CVSSRecord] = []
        for line in fields["CVSS"] ?? [] {
            // ` nvd: CVSS:3.1/AV:N/…` — one vector per line, labelled with its origin.
            guard let colon = line.firstIndex(of: ":") else { continue }
            let origin = String(line[..<colon]).trimmingBlanks()
            let vector = String(line[line.index(after: colon)...]).trimmingBlanks()
            guard !origin.isEmpty, !vector.isEmpty, !origin.contains(" ") else { continue }
            var entry = cvss.first { $0.source == origin } ?? CVSSRecord(source: origin)
            if vector.hasPrefix("CVSS:3.") {
                entry.v3Vector = vector
                entry.v3Score = CVSSScore.v3(vector)
            } else if vector.hasPrefix("CVSS:4.") {
                entry.v40Vector = vector
            } else if CVSSScore.v2(vector) != nil {
                entry.v2Vector = vector
                entry.v2Score = CVSSScore.v2(vector)
            } else {
                continue
            }
            cvss.removeAll { $0.source == origin }
            cvss.append(entry)
        }
        let description = single("Description") ?? single("Ubuntu-Description")
        let published = single("PublicDate").flatMap { text -> String? in
            var t = text
            if t.hasSuffix(" UTC") { t.removeLast(4) }
            return FeedTimestamp.normalise(t)
        }
        result.batch.vulnerabilities.append(VulnerabilityRecord(
            id: vulnerabilityID, description: description, cvss: cvss, references: references,
            published: published, source: source, severity: priority))
        return result
    }

    /// `released (4.3-7ubuntu1.1)` → (`released`, `4.3-7ubuntu1.1`).
    private static func statusWord(_ value: String, path: String, line: Int) throws(VulnDBError) -> (String, String?) {
        guard !value.isEmpty else { return ("needs-triage", nil) }
        let wordEnd = value.firstIndex { $0 == " " || $0 == "(" } ?? value.endIndex
        let word = String(value[..<wordEnd])
        let known = ["released", "needed", "pending", "deferred", "active", "not-affected", "ignored", "DNE", "needs-triage"]
        guard known.contains(word) else {
            throw VulnDBError(.malformedFeed, "\(path):\(line): unknown status '\(FeedText.oneLine(word.prefix(40)))' (expected one of \(known.joined(separator: ", ")))")
        }
        let rest = String(value[wordEnd...]).trimmingBlanks()
        guard !rest.isEmpty else { return (word, nil) }
        // The note is the first balanced `(…)` group; the tracker also writes `[…]` for a version
        // inherited from the parent release (`trusty/esm_x: released [1.2-3]`). Further groups
        // (`(uses system expat) (reached end-of-life)`) only add commentary.
        if var note = firstGroup(rest) {
            if word == "released", note.contains(",") {
                // `released (2.1.0-6+deb8u6, 2.2.7-2)`: several fixes; the package stays
                // vulnerable until the last one, as the merge rule has it.
                let versions = note.split(separator: ",").map { String($0).trimmingBlanks() }
                if !versions.contains(where: \.isEmpty) {
                    note = versions.max { VersionComparator.compare($0, $1, scheme: .dpkg) < 0 } ?? note
                }
            }
            if word == "released", note.isEmpty || note.contains(" ") || note.contains(",") {
                throw VulnDBError(.malformedFeed, "\(path):\(line): malformed released version '\(FeedText.oneLine(note.prefix(60)))' (expected `released (VERSION)`)")
            }
            return (word, note)
        }
        // A doubled or unclosed bracket around a lone version (`released ((7.57.0-1ubuntu1)`,
        // a typo in the real tracker) still names the version unambiguously.
        let stripped = rest.drop { $0 == "(" || $0 == "[" }
        if word == "released", stripped.count < rest.count {
            let version = stripped.reversed().drop { $0 == ")" || $0 == "]" }.reversed()
            if !version.isEmpty, !version.contains(" "), !version.contains("("), !version.contains(")") {
                return (word, String(version))
            }
        }
        guard word != "released" else {
            throw VulnDBError(.malformedFeed, "\(path):\(line): malformed released version '\(FeedText.oneLine(rest.prefix(60)))' (expected `released (VERSION)`)")
        }
        // Other statuses only carry commentary; keep it as written even when unbalanced.
        return (word, rest)
    }

    /// The text inside the leading `(…)` or `[…]` group, nesting respected; nil if unbalanced.
    private static func firstGroup(_ text: String) -> String? {
        guard let open = text.first, open == "(" || open == "[" else { return nil }
        let close: Character = open == "(" ? ")" : "]"
        var depth = 0
        for index in text.indices {
            let c = text[index]
            if c == open { depth += 1 }
            if c == close {
                depth -= 1
                if depth == 0 { return String(text[text.index(after: text.startIndex)..<index]).trimmingBlanks() }
            }
        }
        return nil
    }

    /// Priority words carried as vendor severity; `untriaged` and unknown words carry none.
    private static func severityWord(_ text: String) -> String? {
        let word = text.trimmingBlanks().lowercased()
        return ["negligible", "low", "medium", "high", "critical"].contains(word) ? word : nil
    }
}

extension String {
    /// Drops leading and trailing spaces and tabs.
    func trimmingBlanks() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}
