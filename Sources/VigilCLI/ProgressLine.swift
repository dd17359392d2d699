import Foundation
import Scan

/// One self-rewriting progress line per layer on a terminal; silent otherwise.
final class ProgressLine: PullProgress, @unchecked Sendable {
    let enabled: Bool
    private let lock = NSLock()
    private var last = Date.distantPast
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(layer: Int, of count: Int, done: Int, total: Int?) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(last) > 0.1 || done == total else { return }
        last = now
        func mb(_ b: Int) -> String { String(format: "%.1f", Double(b) / 1_048_576) }
        var line = "layer \(layer + 1)/\(count)  \(mb(done))"
        if let total, total > 0 {
            let width = 30
            let filled = min(width, done * width / total)
            line += "/\(mb(total)) MB [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
        } else {
            line += " MB"
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        shown = true
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
