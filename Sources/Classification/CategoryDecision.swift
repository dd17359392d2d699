/// The categories of one vulnerability and, for each, the evidence that decided it, so an analyst
/// can audit a placement (`CategoryReasons` in the JSON report and the HTML report).
public struct CategoryDecision: Sendable, Equatable {
    /// The categories in `Category` order; `[.other]` when nothing applies.
    public var categories: [Category]
    /// One line per category: the CWE id (and the mapped ancestor it reached), the CVSS vector
    /// elements, or the phrase that decided it.
    public var reasons: [Category: String]

    public init(categories: [Category], reasons: [Category: String]) {
        self.categories = categories
        self.reasons = reasons
    }

    /// The reasons in category order, as `(category name, reason)` pairs.
    public var orderedReasons: [(String, String)] {
        categories.compactMap { c in reasons[c].map { (c.rawValue, $0) } }
    }
}
