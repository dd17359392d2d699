import Foundation
import Testing
@testable import ReportTools

/// Report files read through SystemIO keep their wording; codes are stable.
@Suite struct ReportErrorCodeTests {
    @Test func aDirectoryIsNotAReport() {
        let dir = NSTemporaryDirectory()
        let error = #expect(throws: ReportError.self) { try ReportFile.readAll(dir) }
        #expect(error?.code == "report.unreadable")
        #expect(error?.description == "\(dir): is a directory, not a report file")
    }

    @Test func aDeviceStopsAtTheLimit() {
        let error = #expect(throws: ReportError.self) { try ReportFile.readAll("/dev/zero", maxBytes: 1 << 20) }
        #expect(error?.code == "report.too-large")
        #expect(error?.description == "/dev/zero: larger than the 1 MiB limit for reading a whole report; split it first (`vigil report split`)")
    }

    @Test func aMissingReport() {
        let error = #expect(throws: ReportError.self) { try ReportFile.readAll("/nonexistent/report.json") }
        #expect(error?.description == "/nonexistent/report.json: cannot open for reading (No such file or directory)")
        #expect(ReportError(path: "r.json", line: 3, message: "invalid JSON").code == "report.malformed")
    }
}
