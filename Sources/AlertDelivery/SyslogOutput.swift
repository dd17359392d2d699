import RuleEngine
import VigilCore

#if canImport(Glibc)
import Glibc
#endif

/// `vigil watch --syslog [--syslog-address unix:/dev/log|udp:HOST:PORT]`: each alert as one
/// RFC 5424 message (facility daemon, severity from the rule priority, APP-NAME `vigil`, MSGID
/// the rule name's first word-safe 32 bytes), over a unix datagram socket or UDP.
///
/// `<PRI>1 TIMESTAMP HOSTNAME vigil PROCID MSGID - MSG`, the message the text or JSON alert,
/// cut at `maxMessageBytes` (rsyslog's default limit is 8 KiB).
public struct SyslogOutput: AlertOutput {
    public enum Address: Sendable, Equatable {
        case unix(String)
        case udp(host: String, port: UInt16)

        /// `unix:/dev/log`, `udp:127.0.0.1:514`, `udp:[::1]:514`.
        public init(_ text: String) throws(AlertDeliveryError) {
            if text.hasPrefix("unix:") {
                let path = String(text.dropFirst(5))
                guard path.hasPrefix("/"), path.utf8.count < 108 else {
                    throw AlertDeliveryError(.usage, "syslog unix socket must be an absolute path under 108 bytes: \(text)")
                }
                self = .unix(path)
            } else if text.hasPrefix("udp:") {
                var rest = Substring(text.dropFirst(4))
                guard let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]), port > 0 else {
                    throw AlertDeliveryError(.usage, "syslog UDP address needs HOST:PORT: \(text)")
                }
                rest = rest[..<colon]
                if rest.hasPrefix("["), rest.hasSuffix("]") { rest = rest.dropFirst().dropLast() }
                guard !rest.isEmpty else { throw AlertDeliveryError(.usage, "syslog UDP address has no host: \(text)") }
                self = .udp(host: String(rest), port: port)
            } else {
                throw AlertDeliveryError(.usage, "syslog address must be unix:/PATH or udp:HOST:PORT, not '\(text)'")
            }
        }
    }

    public let address: Address
    public var format: AlertFormat
    public static let maxMessageBytes = 8192
    private let fd: Int32
    private var target = sockaddr_storage()
    private var targetLength: socklen_t = 0
    private let hostname: String
    private let pid = getpid()
    /// Messages the socket refused (receiver absent, buffer full); counted, reported at close.
    public private(set) var failures = 0
    public var report: (String) -> Void

    public init(address: Address, format: AlertFormat, report: @escaping (String) -> Void = { _ in }) throws(AlertDeliveryError) {
        self.address = address
        self.format = format
        self.report = report
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, 255)
        let h = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        hostname = h.isEmpty ? "-" : String(h.utf8.prefix(255).filter { $0 > 0x20 && $0 < 0x7F }.map { Character(Unicode.Scalar($0)) })
        switch address {
        case .unix(let path):
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw AlertDeliveryError(.network, "cannot create a unix socket: \(String(cString: strerror(errno)))") }
            var sun = sockaddr_un()
            sun.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &sun.sun_path) { raw in
                for (i, b) in path.utf8.enumerated() { raw[i] = b }
            }
            withUnsafeBytes(of: sun) { src in withUnsafeMutableBytes(of: &target) { $0.copyMemory(from: src) } }
            targetLength = socklen_t(MemoryLayout<sockaddr_un>.size)
        case .udp(let host, let port):
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
            var res: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &res) == 0, let ai = res else {
                throw AlertDeliveryError(.network, "cannot resolve syslog host '\(host)'")
            }
            defer { freeaddrinfo(res) }
            fd = socket(ai.pointee.ai_family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw AlertDeliveryError(.network, "cannot create a UDP socket: \(String(cString: strerror(errno)))") }
            withUnsafeMutableBytes(of: &target) { dst in dst.copyMemory(from: UnsafeRawBufferPointer(start: ai.pointee.ai_addr, count: Int(ai.pointee.ai_addrlen))) }
            targetLength = ai.pointee.ai_addrlen
        }
    }

    /// The RFC 5424 message for one alert.
    public func message(_ alert: Alert) -> [UInt8] {
        let pri = 3 * 8 + Int(alert.priority.syslogSeverity)  // facility 3 = daemon
        var msgid = String(alert.rule.utf8.prefix(32).map { $0 > 0x20 && $0 < 0x7F ? Character(Unicode.Scalar($0)) : "_" })
        if msgid.isEmpty { msgid = "-" }
        var out = Array("<\(pri)>1 \(TimeFormat.iso8601(alert.time)) \(hostname) vigil \(pid) \(msgid) - ".utf8)
        switch format {
        case .json: out += alert.jsonBytes()
        case .text: out += Array("\(alert.priority.name) \(alert.output)".utf8)
        }
        if out.count > Self.maxMessageBytes { out.removeLast(out.count - Self.maxMessageBytes) }
        return out
    }

    public mutating func emit(_ alert: Alert) throws(RuleEngineError) {
        let bytes = message(alert)
        let sent = bytes.withUnsafeBytes { buf in
            withUnsafePointer(to: &target) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, buf.baseAddress, buf.count, Int32(MSG_NOSIGNAL), $0, targetLength) }
            }
        }
        if sent < 0 {
            failures += 1
            if failures == 1 {
                throw RuleEngineError(.output, "syslog send failed: \(String(cString: strerror(errno))) (further failures are counted)",
                                      location: "\(address)")
            }
        }
    }

    public mutating func close() {
        _ = Glibc.close(fd)
        if failures > 0 { report("vigil: syslog: \(failures) messages could not be sent") }
    }
}
