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

/// Sends alerts to syslog (facility `daemon`, tag `vigil`), severity from the rule priority.
public struct SyslogOutput: AlertOutput {
    nonisolated(unsafe) private static let ident: UnsafeMutablePointer<CChar> = strdup("vigil")!
    public var format: AlertFormat
    public init(format: AlertFormat) {
        self.format = format
        // openlog keeps the pointer: a Swift string literal bridged for the call would dangle
        // (messages then carried no tag), so the ident lives for the whole process
        openlog(Self.ident, LOG_PID | LOG_NDELAY, LOG_DAEMON)
    }

    public mutating func emit(_ alert: Alert) throws(RuleEngineError) {
        let text = format == .json ? alert.jsonLine() : "\(alert.priority.name) \(alert.output)"
        text.withCString { c in
            "%s".withCString { fmt in
                withVaList([c]) { vsyslog(LOG_DAEMON | alert.priority.syslogSeverity, fmt, $0) }
            }
        }
    }

    public mutating func close() { closelog() }
}

/// POSTs each alert as Falco's JSON to an `http://` webhook over a plain socket.
///
/// One connection per alert (`Connection: close`); a 2xx status is required. `https://` needs a
/// TLS stack Vigil does not link yet and is refused up front.
public struct WebhookOutput: AlertOutput {
    public let url: String
    let host: String
    let port: UInt16
    let path: String
    public private(set) var failures = 0

    public init(url: String) throws(RuleEngineError) {
        self.url = url
        guard url.hasPrefix("http://") else {
            throw RuleEngineError(.usage, "webhook URL must start with http:// (https is not supported yet): \(url)")
        }
        let rest = url.dropFirst(7)
        let hostPort = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        path = rest.count > hostPort.count ? String(rest.dropFirst(hostPort.count)) : "/"
        if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            guard let p = UInt16(hostPort[hostPort.index(after: colon)...]) else {
                throw RuleEngineError(.usage, "invalid port in webhook URL: \(url)")
            }
            port = p
        } else {
            host = hostPort
            port = 80
        }
        if host.isEmpty { throw RuleEngineError(.usage, "webhook URL has no host: \(url)") }
    }

    public mutating func emit(_ alert: Alert) throws(RuleEngineError) {
        let body = alert.jsonBytes()
        let head = "POST \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: vigil\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let status = try send(Array(head.utf8) + body)
        guard (200..<300).contains(status) else {
            failures += 1
            throw RuleEngineError(.output, "webhook answered HTTP \(status)", location: url)
        }
    }

    private func send(_ request: [UInt8]) throws(RuleEngineError) -> Int {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var res: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &res) == 0, let first = res else {
            throw RuleEngineError(.output, "cannot resolve webhook host '\(host)'", location: url)
        }
        defer { freeaddrinfo(res) }
        var fd: Int32 = -1
        var cur: UnsafeMutablePointer<addrinfo>? = first
        while let ai = cur {
            fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
            if fd >= 0 {
                var tv = timeval(tv_sec: 5, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                if connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 { break }
                _ = Glibc.close(fd)
                fd = -1
            }
            cur = ai.pointee.ai_next
        }
        guard fd >= 0 else { throw RuleEngineError(.output, "cannot connect to webhook: \(String(cString: strerror(errno)))", location: url) }
        defer { _ = Glibc.close(fd) }
        try FDWriter.writeAll(fd, request, what: url)
        var response: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while response.count < 65536 {
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response.append(contentsOf: buf[0..<n])
            if response.contains(UInt8(ascii: "\n")) { break }
        }
        // "HTTP/1.1 204 No Content"
        let line = String(decoding: response.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw RuleEngineError(.output, "webhook sent no HTTP status line", location: url)
        }
        return status
    }

    public mutating func close() {}
}

enum FDWriter {
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], what: String) throws(RuleEngineError) {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, $0.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                throw RuleEngineError(.output, "write failed: \(String(cString: strerror(errno)))", location: what)
            }
            off += n
        }
    }
}
