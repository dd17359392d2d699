import Versioning

/// Turns one OSV `ranges[]` entry into the intervals Vigil stores, following the schema's
/// evaluation pseudocode (ossf/osv-schema `docs/schema.md`, "Evaluation"):
///
/// - events are sorted by version first (the schema only recommends sorted input), with
///   `introduced: "0"` before everything; the sort uses the range type's ordering (`SEMVER`:
///   semver; `ECOSYSTEM`: the ecosystem's own, when Vigil has one — otherwise file order is kept);
/// - walking them, `introduced` opens an interval (a second `introduced` while one is open changes
///   nothing: the pseudocode only sets `vulnerable = true` again), `fixed` closes it exclusively,
///   `last_affected` inclusively; an interval left open runs to every later version;
/// - `limit` events bound the whole range: a version is only affected below at least one limit,
///   i.e. below the highest; `*` means no limit. The highest limit is kept on every interval;
/// - `GIT` ranges name commits, which installed packages do not carry: they yield nothing and are
///   reported by the caller.
enum OSVRangeEvents {
    struct Event {
        enum Kind { case introduced, fixed, lastAffected, limit }
        var kind: Kind
        var version: String
    }

    /// The intervals of one range of `type` (`ECOSYSTEM` or `SEMVER`) in `ecosystem` (`PyPI`,
    /// `Go`, `Debian:12`…), and the highest `fixed` version it names.
    static func intervals(type: String, ecosystem: String, events raw: [Any]) -> (ranges: [AffectedRange], lastFixed: String?) {
        var events: [Event] = []
        for item in raw {
            guard let event = item as? [String: Any] else { continue }
            if let v = event["introduced"] as? String { events.append(Event(kind: .introduced, version: v.isEmpty ? "0" : v)) }
            else if let v = event["fixed"] as? String, !v.isEmpty { events.append(Event(kind: .fixed, version: v)) }
            else if let v = event["last_affected"] as? String, !v.isEmpty { events.append(Event(kind: .lastAffected, version: v)) }
            else if let v = event["limit"] as? String, !v.isEmpty { events.append(Event(kind: .limit, version: v)) }
        }
        let scheme = scheme(type: type, ecosystem: ecosystem)
        if let scheme {
            // Stable: equal versions keep their written order.
            events = events.enumerated().sorted { a, b in
                let order = compare(a.element, b.element, scheme)
                return order != 0 ? order < 0 : a.offset < b.offset
            }.map(\.element)
        }
        var limit: String?
        var unlimited = false
        for event in events where event.kind == .limit {
            if event.version.contains("*") { unlimited = true; continue }
            if let current = limit, let scheme, VersionComparator.compare(current, event.version, scheme: scheme) >= 0 { continue }
            limit = event.version
        }
        if unlimited { limit = nil }

        var ranges: [AffectedRange] = []
        var lastFixed: String?
        var open: AffectedRange?
        let hasIntroduced = events.contains { $0.kind == .introduced }
        for event in events {
            switch event.kind {
            case .introduced:
                if open == nil {
                    open = AffectedRange(introduced: event.version == "0" ? nil : event.version, type: type, limit: limit)
                }
            case .fixed:
                lastFixed = event.version
                // A fix with nothing open closes nothing (the pseudocode only clears the flag),
                // except in a range that never says `introduced` at all, which the schema
                // forbids: feeds mean "everything before the fix", and a missed finding is worse.
                guard var closed = open ?? (ranges.isEmpty && !hasIntroduced ? AffectedRange(type: type, limit: limit) : nil)
                else { continue }
                closed.fixed = event.version
                ranges.append(closed)
                open = nil
            case .lastAffected:
                guard var closed = open ?? (ranges.isEmpty && !hasIntroduced ? AffectedRange(type: type, limit: limit) : nil)
                else { continue }
                closed.lastAffected = event.version
                ranges.append(closed)
                open = nil
            case .limit:
                continue
            }
        }
        if let open { ranges.append(open) }
        return (ranges, lastFixed)
    }

    /// The ordering of a range's versions, or nil when Vigil has none for it.
    static func scheme(type: String, ecosystem: String) -> VersionScheme? {
        if type == "SEMVER" { return .semver }
        let base = ecosystem.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ecosystem
        return VersionScheme(ecosystem: base)
    }

    /// `introduced: "0"` sorts before every version.
    private static func compare(_ a: Event, _ b: Event, _ scheme: VersionScheme) -> Int {
        let aZero = a.kind == .introduced && a.version == "0"
        let bZero = b.kind == .introduced && b.version == "0"
        if aZero || bZero { return aZero == bZero ? 0 : (aZero ? -1 : 1) }
        return VersionComparator.compare(a.version, b.version, scheme: scheme)
    }
}
