/// The ids a language advisory is filed under, chosen as Trivy's OSV loader chooses them: every
/// CVE the advisory names becomes a finding id of its own, and the feed's own id (`GHSA-…`,
/// `RUSTSEC-…`, `NSWG-ECO-…`) is kept as the advisory id (Trivy's `VendorIDs`); without a CVE the
/// feed's id is the finding id. Feeds that describe one flaw (a GHSA record and its RubySec or
/// FriendsOfPHP twin) therefore meet under the same id and give one finding.
struct PreferredIDs: Equatable {
    /// Finding ids: the CVEs, or the feed's own id.
    var vulnerabilityIDs: [String]
    /// The feed's own id when the finding ids are CVEs; nil otherwise.
    var advisoryID: String?
    /// Every other id the advisory names (for the vulnerability record's aliases).
    var aliases: [String]

    /// `own` is the advisory's id in its feed; `others` the CVE, GHSA and other ids it lists.
    init(own: String, others: [String]) {
        var cves: [String] = own.hasPrefix("CVE-") ? [own] : []
        if cves.isEmpty {
            for id in others where id.hasPrefix("CVE-") { FeedText.appendUnique(id, to: &cves) }
        }
        if cves.isEmpty || own.hasPrefix("CVE-") {
            vulnerabilityIDs = [own]
            advisoryID = nil
        } else {
            vulnerabilityIDs = cves
            advisoryID = own
        }
        var rest: [String] = []
        for id in [own] + others where !id.isEmpty && !(vulnerabilityIDs.count == 1 && id == vulnerabilityIDs[0]) {
            FeedText.appendUnique(id, to: &rest)
        }
        aliases = rest
    }

    /// The aliases of the record stored under `id` (the other ids, without `id` itself).
    func aliases(of id: String) -> [String] {
        var all = aliases
        for other in vulnerabilityIDs where other != id { FeedText.appendUnique(other, to: &all) }
        return all.filter { $0 != id }
    }
}
