import Classification
import Scanner
import VulnDB

extension Classifier {
    /// The categories of a scan finding (its CWE ids, title, description and CVSS vectors).
    public func categories(of finding: Finding) -> [Category] {
        decision(of: finding).categories
    }

    /// The categories of a scan finding with the evidence for each.
    public func decision(of finding: Finding) -> CategoryDecision {
        classify(VulnerabilityFacts(
            cweIDs: finding.cweIDs, title: finding.title, description: finding.description,
            cvssVectors: finding.cvss.flatMap { [$0.v3Vector, $0.v40Vector, $0.v2Vector].compactMap(\.self) }))
    }
}

/// `--category`: keeps the findings in at least one of the wanted categories.
public struct CategoryFilter: Sendable {
    public var categories: Set<Category>
    public var classifier: Classifier

    public init(categories: Set<Category>, classifier: Classifier) {
        self.categories = categories
        self.classifier = classifier
    }

    /// The findings in any of `categories`, in their order.
    public func apply(_ findings: [Finding]) -> [Finding] {
        findings.filter { !categories.isDisjoint(with: classifier.categories(of: $0)) }
    }
}
