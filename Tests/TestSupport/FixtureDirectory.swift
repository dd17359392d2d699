import Foundation

/// A test target's own small fixtures: the `Fixtures` directory beside the test file that names
/// it (`FixtureDirectory(#filePath)` in `Tests/<Target>Tests/X.swift` is `Tests/<Target>Tests/Fixtures`).
public struct FixtureDirectory: Sendable {
    public let url: URL

    public init(_ testFile: StaticString = #filePath, subdirectory: String = "Fixtures") {
        url = URL(fileURLWithPath: "\(testFile)").deletingLastPathComponent().appendingPathComponent(subdirectory)
    }

    public var path: String { url.path }

    public func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    public func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url.appendingPathComponent(relative)))
    }

    public func text(_ relative: String) throws -> String {
        String(decoding: try bytes(relative), as: UTF8.self)
    }
}
