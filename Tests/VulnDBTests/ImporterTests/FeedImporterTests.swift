import Testing
@testable import VulnDB
import VigilCore

@Suite("Format detection and dispatch")
struct FeedImporterTests {
    @Test("fixtures are detected by content", arguments: [
        ("alpine/v3.99-main.yaml", FeedFormat.alpineSecdb),
        ("alpine/wolfi-os.json", .alpineSecdb),
        ("debian/tracker-sample.json", .debianTrackerJSON),
        ("debian/DSA-sample", .debianAdvisoryList),
        ("debian/DLA-sample", .debianAdvisoryList),
        ("osv/PYSEC-2031-77.json", .osv),
        ("osv/UBUNTU-CVE-2031-5555.json", .osv),
        ("osv/USN-9999-1.json", .osv),
        ("osv/GO-2031-0001.json", .osv),
    ])
    func fixtures(path: String, format: FeedFormat) throws {
        #expect(FeedImporter.detect(path: "renamed.dat", data: try FeedFixture.bytes(path)) == format)
    }

    @Test("inline samples", arguments: [
        ("{\"id\": \"GHSA-1\", \"affected\": []}", FeedFormat?.some(.osv)),
        ("{\"details\": \"x\", \"schema_version\": \"1.6.0\", \"id\": \"CVE-1\"}", .osv),
        ("{\"id\": \"X\"}", nil),
        ("\u{FEFF}  {\"distroversion\": \"v3.1\", \"packages\": []}", .alpineSecdb),
        ("{\"reponame\": \"os\", \"packages\": [{\"pkg\": {}}]}", .alpineSecdb),
        ("{\"pkg\": {\"CVE-1\": {\"description\": \"d\", \"releases\": {}}}}", .debianTrackerJSON),
        ("{\"pkg\": {\"CVE-1\": {\"description\": \"a \\\"releases\\\" mention\"}}}", nil),
        ("{\"packages\": {\"CVE-1\": {\"releases\": {}}}}", .debianTrackerJSON),
        ("[{\"Vulnerability\": {\"Name\": \"CVE-1\"}}]", .vunnelOS),
        ("---\ndistroversion: v3.10\npackages: []\n", .alpineSecdb),
        ("archs: [x86]\npackages:\n  - pkg: {}\n", .alpineSecdb),
        ("[02 May 2018] DSA-4195-1 wget - security update\n", .debianAdvisoryList),
        ("[02 May 2018] DLA-1-1 x - y\n", .debianAdvisoryList),
        ("[02 May 2018] XSA-1 x\n", nil),
        ("hello world\n", nil),
        ("", nil),
        ("{", nil),
    ])
    func inline(text: String, format: FeedFormat?) {
        #expect(FeedImporter.detect(path: "input", data: Array(text.utf8)) == format)
    }

    @Test("a DSA list with a damaged first header is still routed to the list parser by name")
    func nameFallback() throws {
        let text = "[2 May] DSA-1-1 x - y\n"
        #expect(FeedImporter.detect(path: "input", data: Array(text.utf8)) == nil)
        #expect(FeedImporter.detect(path: "data/DSA/list", data: Array(text.utf8)) == .debianAdvisoryList)
        #expect(FeedImporter.detect(path: "feeds/DLA-list", data: Array(text.utf8)) == .debianAdvisoryList)
        let error = try #require(feedParseError(text, path: "data/DSA/list", format: .debianAdvisoryList))
        #expect(error.message == "data/DSA/list:1: malformed advisory date '2 May'")
    }

    @Test("parse without a format throws unknownFormat naming the file")
    func unknownFormat() throws {
        do {
            _ = try FeedImporter.parse(path: "notes.txt", data: Array("hello".utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.reason == .unknownFormat)
            #expect(error.message.hasPrefix("notes.txt: "))
        }
        let batch = try FeedImporter.parse(path: "x", data: try FeedFixture.bytes("osv/GO-2031-0001.json"))
        #expect(batch.advisories.count == 1)
    }

    @Test("a file of the wrong format fails with malformedFeed, not a crash")
    func wrongFormat() throws {
        let osv = try FeedFixture.bytes("osv/GO-2031-0001.json")
        for format in FeedFormat.allCases where format != .osv {
            do {
                let result = try FeedImporter.parseDetailed(path: "GO.json", data: osv, format: format)
                // The tracker parser reads any object; it must at least produce nothing usable.
                #expect(result.batch.advisories.isEmpty, "\(format)")
            } catch {
                #expect(error.reason == .malformedFeed, "\(format)")
                #expect(error.message.hasPrefix("GO.json"), "\(format)")
            }
        }
    }
}

@Suite("CVSS base scores")
struct CVSSScoreTests {
    @Test("v3 vectors", arguments: [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", 5.3),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
        ("CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8),
        ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:H", 6.6),
        ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6),
        ("CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:C/C:L/I:N/A:N", 3.5),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O", 9.8),
    ])
    func v3(vector: String, score: Double) {
        #expect(CVSSScore.v3(vector) == score)
    }

    @Test("v2 vectors", arguments: [
        ("AV:N/AC:L/Au:N/C:P/I:N/A:N", 5.0),
        ("AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0),
        ("AV:L/AC:M/Au:N/C:P/I:N/A:N", 1.9),
        ("AV:N/AC:M/Au:N/C:P/I:P/A:P", 6.8),
        ("(AV:N/AC:L/Au:N/C:P/I:P/A:P)", 7.5),
        ("AV:N/AC:L/Au:N/C:N/I:N/A:N", 0.0),
    ])
    func v2(vector: String, score: Double) {
        #expect(CVSSScore.v2(vector) == score)
    }

    @Test("malformed vectors have no score", arguments: [
        "", "CVSS:3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1//AV:N",
    ])
    func malformedV3(vector: String) {
        #expect(CVSSScore.v3(vector) == nil)
    }

    @Test("malformed v2 vectors have no score", arguments: ["", "AV:N/AC:L/Au:N/C:P/I:N", "AV:N/AC:Q/Au:N/C:P/I:N/A:N", "garbage"])
    func malformedV2(vector: String) {
        #expect(CVSSScore.v2(vector) == nil)
    }
}

@Suite("Timestamp normalisation")
struct FeedTimestampTests {
    @Test("normalised to RFC 3339 UTC seconds", arguments: [
        ("2019-09-10T17:15:00Z", "2019-09-10T17:15:00Z"),
        ("2023-11-07T20:24:23.946863Z", "2023-11-07T20:24:23Z"),
        ("2021-03-01T01:30:00+02:00", "2021-02-28T23:30:00Z"),
        ("2020-12-31T23:00:00-0130", "2021-01-01T00:30:00Z"),
        ("2019-09-10", "2019-09-10T00:00:00Z"),
        ("2019-09-10T17:15Z", "2019-09-10T17:15:00Z"),
        ("2019-09-10T17:15:00", "2019-09-10T17:15:00Z"),
    ])
    func valid(input: String, output: String) {
        #expect(FeedTimestamp.normalise(input) == output)
    }

    @Test("rejected", arguments: ["", "0001-01-01T00:00:00Z", "2019-02-30T00:00:00Z", "2019-13-01", "2019-09-10T25:00:00Z",
                                  "2019-09-10T17:15:00Zjunk", "yesterday", "2019/09/10"])
    func invalid(input: String) {
        #expect(FeedTimestamp.normalise(input) == nil)
    }
}
