import Foundation
import Testing

/// Golden files for generated output (reports, tables, predictions), as swift-argument-parser's
/// `assertSnapshot`: compared byte for byte; `VIGIL_RECORD_GOLDEN=1` writes the actual output
/// instead, and the test then FAILS (a recording run never passes, so a CI run with the variable
/// set cannot turn a regression into a new golden file unnoticed). Run again without it to check.
public enum Golden {
    /// Whether this run records golden files instead of comparing with them.
    public static var isRecording: Bool {
        let v = ProcessInfo.processInfo.environment["VIGIL_RECORD_GOLDEN"] ?? ""
        return !v.isEmpty && v != "0"
    }

    /// Compares `actual` with the file at `path` (records it when `isRecording`).
    public static func assert(_ actual: String, matches path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let name = (path as NSString).lastPathComponent
        if isRecording {
            do {
                try Data(actual.utf8).write(to: URL(fileURLWithPath: path))
                Issue.record("recorded golden \(name): check the diff, then run again without VIGIL_RECORD_GOLDEN",
                             sourceLocation: sourceLocation)
            } catch {
                Issue.record("cannot record golden \(path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            Issue.record("golden \(path) missing; record it with VIGIL_RECORD_GOLDEN=1", sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        if actual != expected {
            Issue.record("differs from golden \(name)\(firstDifference(actual, expected)); re-record with VIGIL_RECORD_GOLDEN=1 if intended",
                         sourceLocation: sourceLocation)
        }
    }

    /// ` at line N: "actual" vs "expected"` for the first line that differs.
    static func firstDifference(_ actual: String, _ expected: String) -> String {
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, e.count) {
            let x = i < a.count ? String(a[i]) : "<end>", y = i < e.count ? String(e[i]) : "<end>"
            if x != y { return " at line \(i + 1): \(x.debugDescription) vs \(y.debugDescription)" }
        }
        return ""
    }
}
