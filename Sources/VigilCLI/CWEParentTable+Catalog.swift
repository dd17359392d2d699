import Classification
import Foundation
import Synchronization
import VulnDB

extension CWEParentTable {
    /// The classifier's hierarchy from the database's CWE catalogue (the only CWE reader in Vigil).
    init(_ catalog: CWECatalog) {
        self.init(entries: catalog.entries.values.map { ($0.id, $0.parents) })
    }
}

/// The classifier the commands use, and whether it had to do without a CWE hierarchy.
struct CommandClassifier {
    let classifier: Classifier
    /// Set when there is no catalogue; remembers whether any CWE id needed its parents.
    private let missing: MissingCWEHierarchy?
    /// What to say when the hierarchy was missing and needed.
    private let reason: String

    /// From an open database: its catalogue, or none (an older or feed-less database).
    init(database: VulnDatabase, path: String) throws {
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
    init(missing reason: String) {
        let hierarchy = MissingCWEHierarchy()
        self.init(classifier: Classifier(hierarchy: hierarchy), missing: hierarchy, reason: reason)
    }

    /// For `vigil report`: the database at `db` (or the default one) when it exists. An explicit
    /// `--db` that does not exist is an error; a missing default database is not, reports Vigil wrote
    /// carry their categories already.
    static func forReports(db: String?) throws -> CommandClassifier {
        let path = DatabaseLocation.resolve(db)
        guard FileManager.default.fileExists(atPath: path) else {
            if db != nil { throw CLIError("\(path): no such database") }
            return CommandClassifier(missing: "no vulnerability database at \(path) to read the CWE catalogue from (see --db)")
        }
        return try CommandClassifier(database: VulnDatabase(readOnlyPath: path), path: path)
    }

    /// One warning line when a CWE id would have needed the missing hierarchy.
    func warnIfDegraded(quiet: Bool) {
        guard !quiet, let missing, missing.consulted else { return }
        Console.warn("\(reason): categories came from the listed CWE ids themselves and the text, without the CWE hierarchy")
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
