import Foundation
import Testing
@testable import ConfigScan

/// ConfigScan words SystemIO's read failures as before the shared reader: same text, stable codes.
@Suite struct ConfigScanErrorCodeTests {
    @Test func aDirectoryIsNotADockerfile() {
        let dir = NSTemporaryDirectory()
        let error = #expect(throws: ConfigScanError.self) { try FileReader.read(dir, maxBytes: 1024) }
        #expect(error?.code == "config.unreadable")
        #expect(error?.description == "\(dir): is a directory, not a Dockerfile")
    }

    @Test func aDeviceStopsAtTheLimit() {
        let error = #expect(throws: ConfigScanError.self) { try FileReader.read("/dev/zero", maxBytes: 1024) }
        #expect(error?.code == "config.too-large")
        #expect(error?.description == "/dev/zero: larger than the 1024-byte limit for a Dockerfile")
    }

    @Test func aMissingFile() {
        let error = #expect(throws: ConfigScanError.self) { try FileReader.read("/nonexistent/Dockerfile", maxBytes: 1024) }
        #expect(error?.description == "/nonexistent/Dockerfile: cannot open: No such file or directory")
    }
}
