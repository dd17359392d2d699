import Testing
@testable import VulnDB
import VigilCore

/// Feed files read through SystemIO keep their wording; codes are stable.
@Suite struct VulnDBErrorCodeTests {
    @Test func feedsAreRegularFilesOnly() {
        let error = #expect(throws: VulnDBError.self) { try FeedFileReader.read("/dev/null", maxBytes: 1 << 20) }
        #expect(error?.code == "vulndb.io")
        #expect(error?.description == "/dev/null: not a regular file (a character device); feeds are files or directories")
    }

    @Test func reasonCodes() {
        #expect(VulnDBError(.malformedFeed, "m").code == "vulndb.malformed-feed")
        #expect(VulnDBError(.schemaMismatch, "m").code == "vulndb.schema-mismatch")
    }
}
