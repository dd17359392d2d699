import Classification
import VulnDB
import Foundation
import Testing

enum Fixture {
    static let directory: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        return url.path + "/Fixtures"
    }()

    /// A CWE CSV read the way `vigil` reads it: the database importer's parser, its catalogue,
    /// then the classifier's table.
    static func table(csv path: String) throws -> CWEParentTable {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let catalog = CWECatalog(entries: try FeedImporter.parse(path: path, data: data, format: .cweCSV).weaknesses)
        return CWEParentTable(entries: catalog.entries.values.map { ($0.id, $0.parents) })
    }

    static func hierarchy() throws -> CWEParentTable { try table(csv: directory + "/cwe-mini.csv") }
}

@Suite struct CWEParentTableTests {
    @Test func fromTheCatalogueOfTheFeedLayout() throws {
        let table = try Fixture.hierarchy()
        #expect(table.parents(of: 79) == [74])
        #expect(table.parents(of: 122) == [787, 788])
        #expect(table.parents(of: 707) == [])
        #expect(table.parents(of: 12345) == [])
        #expect(table.parentsByID.count == 17)
    }

    @Test func fromTheCatalogueOfMitreLayoutChildOfInView1000() throws {
        let table = try Fixture.table(csv: Fixture.directory + "/cwe-mitre-layout.csv")
        #expect(table.parents(of: 787) == [119])
        #expect(table.parents(of: 22) == [706, 668])
    }

    @Test func entriesThatAreNotCWENumbersAreLeftOut() {
        let table = CWEParentTable(entries: [("CWE-79", ["CWE-74", "NVD-CWE-Other"]), ("garbage", ["CWE-1"]), ("cwe-74", ["CWE-707"])])
        #expect(table.parentsByID == [79: [74], 74: [707]])
        #expect(!table.isEmpty)
        #expect(CWEParentTable().isEmpty)
    }
}

@Suite struct ClassifierTests {
    @Test(arguments: [
        ("CWE-79", 79), ("cwe-787", 787), ("22", 22), ("NVD-CWE-noinfo", nil), ("NVD-CWE-Other", nil), ("CWE-", nil), ("CWE-0", nil),
    ] as [(String, Int?)])
    func cweNumbers(text: String, number: Int?) {
        #expect(CWEIdentifier.number(text) == number)
    }

    @Test func categoryNames() {
        #expect(Category.allCases.map(\.shortName) == ["bo", "dos", "pe", "mitm", "rce", "info", "traversal", "injection", "other"])
        #expect(Category(name: "BO") == .bufferOverflow)
        #expect(Category(name: "man-in-the-middle") == .manInTheMiddle)
        #expect(Category(name: "nope") == nil)
    }

    @Test func walksHierarchyToNearestMappedAncestor() throws {
        let c = Classifier(hierarchy: try Fixture.hierarchy(), textUse: .whenCWEIsSilent)
        // CWE-122 → 787 → 119: buffer overflow, via the hierarchy (122 and 787 are mapped directly too).
        #expect(c.cweCategories(["CWE-122"]) == [.bufferOverflow])
        // CWE-79 is not in the table; its parent CWE-74 is.
        #expect(c.cweCategories(["CWE-79"]) == [.injection])
        // Use after free stops at CWE-825 (lifetime, not bounds) instead of inheriting CWE-119.
        #expect(c.cweCategories(["CWE-416"]).isEmpty)
        // Unmapped roots and cycles give nothing and terminate.
        #expect(c.cweCategories(["CWE-190"]).isEmpty)
        #expect(c.cweCategories(["CWE-9001"]).isEmpty)
    }

    @Test func textIsTheFallbackWhenCWEIsSilent() throws {
        let c = Classifier(hierarchy: try Fixture.hierarchy(), textUse: .whenCWEIsSilent)
        let d = "Integer overflow leading to a heap-based buffer overflow allows remote attackers to cause a denial of service (crash)."
        #expect(c.categories(cweIDs: ["CWE-190"], title: nil, description: d) == [.bufferOverflow, .denialOfService])
        #expect(c.categories(cweIDs: ["NVD-CWE-noinfo"], title: nil, description: d) == [.bufferOverflow, .denialOfService])
        // A mapped CWE decides alone in this mode.
        #expect(c.categories(cweIDs: ["CWE-787"], title: nil, description: d) == [.bufferOverflow])
    }

    @Test func impactPhrasesAddToTheCWE() throws {
        let c = Classifier(hierarchy: try Fixture.hierarchy())
        let d = "Out-of-bounds write allows remote attackers to execute arbitrary code. SQL injection is not involved."
        // Impact (code execution) is added; a weakness-type phrase (injection) is not, as the CWE decided.
        #expect(c.categories(cweIDs: ["CWE-787"], title: nil, description: d) == [.bufferOverflow, .codeExecution])
    }

    @Test func otherOnlyWhenNothingApplies() {
        let c = Classifier()
        #expect(c.categories(cweIDs: [], title: nil, description: nil) == [.other])
        #expect(c.categories(cweIDs: [], title: "CSRF in the admin page", description: "Cross-Site Request Forgery.") == [.other])
    }

    @Test(arguments: [
        ("A buffer over-read in the parser", [Category.bufferOverflow]),
        ("stack-based buffer overflow", [.bufferOverflow]),
        ("An integer overflow and a stack OVERFLOW", []),
        ("Overflowing the buffer", [.bufferOverflow]),
        ("the verify_certificate() function crashes", [.denialOfService]),
        ("cause a denial-of-service (application crash)", [.denialOfService]),
        ("the daemon hangs", [.denialOfService]),
        ("the change handler", []),
        ("allows local users to gain privileges", [.privilegeEscalation]),
        ("allows local users to gain root privileges", [.privilegeEscalation]),
        ("allows man-in-the-middle attackers to spoof servers", [.manInTheMiddle]),
        ("does not verify the server certificate", [.manInTheMiddle]),
        ("execute arbitrary web script or HTML via the name parameter, aka XSS", [.injection]),
        ("allows remote attackers to execute arbitrary code", [.codeExecution]),
        ("OS command injection in the ping form", [.codeExecution, .injection]),
        ("obtain sensitive information from process memory", [.informationDisclosure]),
        ("read files via a .. (dot dot) in the path", [.pathTraversal]),
        ("GET /static/..%2f../etc/passwd and ../../etc/shadow", [.pathTraversal]),
        ("SQL Injection in the login form", [.injection]),
        ("Überlauf: buffer\u{00A0}overflow in naïve code", [.bufferOverflow]),
    ] as [(String, [Category])])
    func phrases(text: String, expected: [Category]) {
        #expect(Classifier().textCategories(title: nil, description: text) == Set(expected))
    }
}
