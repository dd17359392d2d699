import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP receiver on 127.0.0.1 for the tests: accepts connections on its own thread, reads
/// each request (headers, `Content-Length` body), records `X-Vigil-Alert-ID` and the body, answers
/// `status`. `stop()` closes the listening socket (clients then get ECONNREFUSED); `start()`
/// listens again on the same port.
final class HTTPReceiver: @unchecked Sendable {
    private let lock = NSLock()
    private var _requests: [(id: String, body: String)] = []
    private var listener: Int32 = -1
    private var thread: Thread?
    private(set) var port: UInt16 = 0
    var status = 200

    var requests: [(id: String, body: String)] { lock.withLock { _requests } }

    func start() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0, listen(fd, 128) == 0 else { throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = UInt16(bigEndian: addr.sin_port)
        lock.withLock { listener = fd }
        let t = Thread { [self] in serve(fd) }
        t.stackSize = 1 << 20
        thread = t
        t.start()
    }

    func stop() {
        let fd = lock.withLock { () -> Int32 in let f = listener; listener = -1; return f }
        if fd >= 0 { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
        usleep(50_000)
    }

    private func serve(_ fd: Int32) {
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 {
                if errno == EINTR { continue }
                return
            }
            handle(c)
            close(c)
        }
    }

    private func handle(_ c: Int32) {
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        var contentLength = 0
        while true {
            let n = recv(c, &buf, buf.count, 0)
            if n <= 0 { return }
            data.append(contentsOf: buf[0..<n])
            if headerEnd == nil, let r = Self.find([13, 10, 13, 10], in: data) {
                headerEnd = r + 4
                let head = String(decoding: data[0..<r], as: UTF8.self)
                for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    contentLength = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            if let h = headerEnd, data.count >= h + contentLength { break }
        }
        let h = headerEnd!
        let head = String(decoding: data[0..<h], as: UTF8.self)
        var id = ""
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("x-vigil-alert-id:") {
            id = line.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
        }
        let body = String(decoding: data[h..<(h + contentLength)], as: UTF8.self)
        let code = status
        if (200..<300).contains(code) { lock.withLock { _requests.append((id, body)) } }
        let reply = "HTTP/1.1 \(code) X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        _ = reply.withCString { send(c, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
        return nil
    }
}

/// A datagram receiver (unix socket or UDP on 127.0.0.1) collecting syslog messages.
final class DatagramReceiver {
    let fd: Int32
    var port: UInt16 = 0
    let path: String?

    init(unixPath: String?) throws {
        path = unixPath
        if let unixPath {
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            unlink(unixPath)
            var sun = sockaddr_un()
            sun.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &sun.sun_path) { raw in for (i, b) in unixPath.utf8.enumerated() { raw[i] = b } }
            let rc = withUnsafePointer(to: &sun) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
            guard rc == 0 else { throw POSIXError(.EADDRINUSE) }
        } else {
            fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard rc == 0 else { throw POSIXError(.EADDRINUSE) }
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
            port = UInt16(bigEndian: addr.sin_port)
        }
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(fd)
        if let path { unlink(path) }
    }

    /// The next datagram, or nil after the 2 s timeout.
    func receive() -> String? {
        var buf = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &buf, buf.count, 0)
        return n > 0 ? String(decoding: buf[0..<n], as: UTF8.self) : nil
    }
}
