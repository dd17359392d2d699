import AsyncHTTPClient
import NIOCore

extension HTTPClient {
    /// The client registry pulls and feed downloads share: 15 s to connect, 60 s between reads
    /// (a stalled transfer fails instead of hanging), at most 5 redirects without cycles, and
    /// no transparent decompression — blobs and feeds are digested and stored exactly as served,
    /// and `.gz` feeds are inflated later with their own size limits.
    public static func forDownloads() -> HTTPClient {
        var config = HTTPClient.Configuration()
        config.timeout = .init(connect: .seconds(15), read: .seconds(60))
        config.redirectConfiguration = .follow(max: 5, allowCycles: false)
        config.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }
}
