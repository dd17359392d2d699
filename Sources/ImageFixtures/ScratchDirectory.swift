import Foundation

/// A temporary directory for tests and benchmarks, removed when the value goes away.
public final class ScratchDirectory {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "vigil-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` at `name` (parents created); returns the full path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) -> String {
        let full = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }
}
