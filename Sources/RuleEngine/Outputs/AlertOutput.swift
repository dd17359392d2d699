import SystemIO

import VigilCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where alerts go. Outputs are the plug-in edge of the engine, hence a protocol.
public protocol AlertOutput {
    mutating func emit(_ alert: Alert) throws(RuleEngineError)
    mutating func close()
}

/// Text line or JSON alert, as Falco's `json_output` chooses.
public enum AlertFormat: Sendable {
    case text
    case json

    func render(_ a: Alert) -> String {
        switch self {
        case .text: a.textLine
        case .json: a.jsonLine()
        }
    }

    /// The alert's line with its newline, as bytes to write.
    func line(_ a: Alert) -> [UInt8] {
        var bytes: [UInt8]
        switch self {
        case .text: bytes = Array(a.textLine.utf8)
        case .json: bytes = a.jsonBytes()
        }
        bytes.append(0x0A)
        return bytes
    }
}

/// Writes alerts to standard output, one per line.
public struct StandardOutput: AlertOutput {
    public var format: AlertFormat
    public init(format: AlertFormat) { self.format = format }

    public mutating func emit(_ alert: Alert) throws(RuleEngineError) {
        let bytes = format.line(alert)
        try FDWriter.writeAll(1, bytes, what: "standard output")
    }

    public mutating func close() {}
}

/// Appends alerts to a file, one per line.
public struct FileOutput: AlertOutput {
    private let fd: Int32
    public let path: String
    public var format: AlertFormat

    public init(path: String, format: AlertFormat) throws(RuleEngineError) {
        self.path = path
        self.format = format
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        if fd < 0 { throw RuleEngineError(.output, "cannot open alert file: \(String(cString: strerror(errno)))", location: path) }
    }

    public mutating func emit(_ alert: Alert) throws(RuleEngineError) {
        try FDWriter.writeAll(fd, format.line(alert), what: path)
    }

    public mutating func close() { _ = Glibc.close(fd) }
}

/// Writes every byte to a descriptor, retrying on EINTR (alert outputs and the actions' audit log).
public enum FDWriter {
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], what: String) throws(RuleEngineError) {
        // DescriptorIO.writeAll is @inlinable: no cross-module call per alert.
        let failure = DescriptorIO.writeAll(fd, bytes)
        if failure != 0 {
            throw RuleEngineError(.output, "write failed: \(String(cString: strerror(failure)))", location: what)
        }
    }
}
