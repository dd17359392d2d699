import Foundation
import Testing
@testable import VulnDB

/// Fixture files under `Tests/VulnDBTests/Fixtures`, found from this source file's location so
/// no resource declaration in Package.swift is needed.
enum FeedFixture {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ImporterTests
        .deletingLastPathComponent()  // VulnDBTests
        .appendingPathComponent("Fixtures")

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(relativePath)))
    }

    /// Parses a fixture with the detected format, failing the test if detection fails.
    static func parse(_ relativePath: String) throws -> FeedParseResult {
        let data = try bytes(relativePath)
        let format = try #require(FeedImporter.detect(path: relativePath, data: data))
        return try FeedImporter.parseDetailed(path: relativePath, data: data, format: format)
    }
}

/// The real feed snapshots in `shared/data/feeds`, when this machine has them.
///
/// `$VIGIL_FEEDS_DIR` when set (and only it, so pointing it at nothing skips these tests);
/// otherwise `shared/data/feeds` beside the repository (CI's layout), then
/// `/work/shared/data/feeds` (a developer machine).
enum RealFeeds {
    static let root: String? = {
        if let custom = ProcessInfo.processInfo.environment["VIGIL_FEEDS_DIR"] {
            return FileManager.default.fileExists(atPath: custom) ? custom : nil
        }
        var candidates: [String] = []
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(repository.deletingLastPathComponent().appendingPathComponent("shared/data/feeds").path)
        candidates.append("/work/shared/data/feeds")
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }()

    static func path(_ relative: String) -> String? {
        guard let root else { return nil }
        let full = root + "/" + relative
        return FileManager.default.fileExists(atPath: full) ? full : nil
    }

    static func has(_ relative: String) -> Bool { path(relative) != nil }

    static func bytes(_ relative: String) throws -> [UInt8] {
        let full = try #require(path(relative))
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: full)))
    }

    /// Why a real-data test did not run.
    static func absent(_ relative: String) -> Comment {
        "real feed data \(relative) not found (set VIGIL_FEEDS_DIR or provide shared/data/feeds)"
    }
}

/// Parses inline text and returns the error it throws, for malformed-input tests.
func feedParseError(_ text: String, path: String, format: FeedFormat) -> VulnDBError? {
    feedParseError(bytes: Array(text.utf8), path: path, format: format)
}

/// Parses raw bytes and returns the error it throws.
func feedParseError(bytes: [UInt8], path: String, format: FeedFormat) -> VulnDBError? {
    do {
        _ = try FeedImporter.parse(path: path, data: bytes, format: format)
        return nil
    } catch {
        return error
    }
}
