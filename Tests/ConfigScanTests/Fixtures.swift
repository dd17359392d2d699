import Foundation
import TestSupport

/// Fixture files written for these tests (`Tests/ConfigScanTests/Fixtures`).
enum Fixtures {
    static let here = FixtureDirectory()
    static let directory = here.url

    static func path(_ relative: String) -> String { here.path(relative) }

    static func bytes(_ relative: String) throws -> [UInt8] { try here.bytes(relative) }

    static func text(_ relative: String) throws -> String { try here.text(relative) }

    /// A scratch directory removed when the returned closure runs.
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("configscan-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
