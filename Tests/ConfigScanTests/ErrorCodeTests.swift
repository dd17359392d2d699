import Foundation
import Testing
@testable import ConfigScan

/// ConfigScan words SystemIO's read failures as before the shared reader: same text, stable codes.
@Suite struct ConfigScanErrorCodeTests {
    @Test(arguments: [
        (NSTemporaryDirectory(), "config.unreadable", "\(NSTemporaryDirectory()): is a directory, not a Dockerfile"),
        ("/dev/zero", "config.too-large", "/dev/zero: larger than the 1024-byte limit for a Dockerfile"),
        ("/nonexistent/Dockerfile", "config.unreadable", "/nonexistent/Dockerfile: cannot open: No such file or directory"),
    ])
    func unreadableFiles(path: String, code: String, description: String) {
        let error = #expect(throws: ConfigScanError.self) { try FileReader.read(path, maxBytes: 1024) }
        #expect(error?.code == code)
        #expect(error?.description == description)
    }
}
