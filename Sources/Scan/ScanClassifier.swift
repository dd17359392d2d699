import Classification
import Foundation
import Synchronization
import VulnDB
import VigilCore

extension CWEParentTable {
    /// The classifier's hierarchy from the database's CWE catalogue (the only CWE reader in Vigil).
    init(_ catalog: CWECatalog) {
        self.init(entries: catalog.entries.values.map { ($0.id, $0.parents) })
    }
}

/// The classifier the reports use, and whether it had to do without a CWE hierarchy.
public struct ScanClassifier: Sendable {
    /// Gives each vulnerability its categories.
    public let classifier: Classifier
    /// Set when there is no catalogue; remembers whether any CWE id needed its parents.
    private let missing: MissingCWEHierarchy?
    /// What to say when the hierarchy was missing and needed.
    private let reason: String

    /// From an open database: its catalogue, or none (an older or feed-less database).
    public init(database: VulnDatabase, path: String) throws {
        let table = CWEParentTable(try database.cweCatalog())
        if table.isEmpty {
            self.init(missing: "\(path) has no CWE catalogue (import the MITRE CWE files, e.g. feeds/cwe, with `vigil db import`)")
        } else {
            self.init(classifier: Classifier(hierarchy: table), missing: nil, reason: "")
        }
    }

    private init(classifier: Classifier, missing: MissingCWEHierarchy?, reason: String) {
        self.classifier = classifier
        self.missing = missing
        self.reason = reason
    }

    /// Without a database: CWE ids count only by themselves.
    public init(missing reason: String) {
        let hierarchy = MissingCWEHierarchy()
        self.init(classifier: Classifier(hierarchy: hierarchy), missing: hierarchy, reason: reason)
    }

    /// For `vigil report`: the database at `path` when it exists. A database the user named
    /// (`explicit`) that does not exist is an error; a missing default database is not, reports
    /// Vigil wrote carry their categories already.
    public static func forReports(path: String, explicit: Bool) throws -> ScanClassifier {
        guard FileManager.default.fileExists(atPath: path) else {
            if explicit { throw ScanPipelineError(.database, "\(path): no such database") }
            return ScanClassifier(missing: "no vulnerability database at \(path) to read the CWE catalogue from (see --db)")
        }
        return try ScanClassifier(database: VulnDatabase(readOnlyPath: path), path: path)
    }

    /// The warning to give once the reports are written, when a CWE id would have needed the
    /// missing hierarchy (the classifier notes it while the report is rendered); nil otherwise.
    public var degradedWarning: String? {
        guard let missing, missing.consulted else { return nil }
        return "\(reason): categories came from the listed CWE ids themselves and the text, without the CWE hierarchy"
    }
}

/// An empty hierarchy that notes being asked, so the warning is only given when it mattered.
final class MissingCWEHierarchy: CWEHierarchy {
    private let asked = Atomic<Bool>(false)

    func parents(of cwe: Int) -> [Int] {
        asked.store(true, ordering: .relaxed)
        return []
    }

    var consulted: Bool { asked.load(ordering: .relaxed) }
}
