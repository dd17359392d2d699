/// The base metrics of one CVSS vector (v2, v3.x or v4.0), read without allocation beyond the
/// metric table: `CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H`, or a bare v2 vector
/// `AV:N/AC:L/Au:N/C:P/I:P/A:P`. Unknown or malformed elements are ignored, so a hostile vector
/// can only make a signal not fire.
public struct CVSSVector: Sendable, Equatable {
    /// 2, 3 or 4.
    public var version: Int
    /// Metric → value, e.g. `"AV": "L"`.
    public var metrics: [String: String]
    /// The vector as given (trimmed), for reasons.
    public var text: String

    public init?(_ vector: String) {
        let trimmed = String(vector.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
        guard !trimmed.isEmpty, trimmed.utf8.count <= 256 else { return nil }
        var parts = trimmed.split(separator: "/")
        var version = 2
        if let first = parts.first, first.hasPrefix("CVSS:") {
            guard let major = first.dropFirst(5).first, let v = Int(String(major)), v == 3 || v == 4 else { return nil }
            version = v
            parts.removeFirst()
        }
        var metrics: [String: String] = [:]
        for part in parts {
            let kv = part.split(separator: ":", maxSplits: 1)
            guard kv.count == 2 else { return nil }
            metrics[String(kv[0])] = String(kv[1])
        }
        guard metrics["AV"] != nil else { return nil }
        self.version = version
        self.metrics = metrics
        self.text = trimmed
    }

    public subscript(_ metric: String) -> String? { metrics[metric] }

    /// The impact on confidentiality, integrity and availability as none / partial (low) / high
    /// (complete), whatever the version: v4 reads the vulnerable system's `VC`/`VI`/`VA`.
    public enum Impact: Int, Sendable, Comparable {
        case none, low, high
        public static func < (a: Impact, b: Impact) -> Bool { a.rawValue < b.rawValue }
    }

    public var confidentiality: Impact { impact(version == 4 ? "VC" : "C") }
    public var integrity: Impact { impact(version == 4 ? "VI" : "I") }
    public var availability: Impact { impact(version == 4 ? "VA" : "A") }

    func impact(_ metric: String) -> Impact {
        switch metrics[metric] {
        case "H", "C": .high
        case "L", "P": .low
        default: .none
        }
    }

    /// `AV` as published: `N`, `A`, `L` or `P`.
    public var attackVector: String? { metrics["AV"] }

    /// The elements named, as `AV:L/PR:L/C:H` (for reasons).
    public func elements(_ names: [String]) -> String {
        names.compactMap { n in metrics[n].map { "\(n):\($0)" } }.joined(separator: "/")
    }
}
