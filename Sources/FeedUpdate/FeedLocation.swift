import Foundation
import VigilCore

/// Where one piece of a feed comes from: a local file or directory, or an HTTP(S) URL.
public enum FeedLocation: Sendable, Equatable, CustomStringConvertible {
    /// A file or directory on disk (a plain path or a `file://` URL).
    case local(String)
    /// An `http://` or `https://` URL; one ending in `/` is a directory index.
    case remote(String)

    /// Parses a config entry: `https://…`, `http://…`, `file:///…` or a path.
    public init(_ text: String) throws(FeedUpdateError) {
        let lower = text.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            guard let url = URL(string: text), url.host != nil else {
                throw FeedUpdateError(.config, "\(text): not a valid URL")
            }
            self = .remote(text)
        } else if lower.hasPrefix("file://") {
            guard let url = URL(string: text), url.isFileURL else { throw FeedUpdateError(.config, "\(text): not a valid file:// URL") }
            // `file:///srv/feeds/` keeps its trailing slash meaningfully: the path is a directory.
            self = .local(url.path)
        } else if text.contains("://") {
            throw FeedUpdateError(.config, "\(text): unsupported URL scheme (use https://, http://, file:// or a path)")
        } else {
            self = .local(text)
        }
    }

    /// `base` (a `--from` directory or URL) joined with a mirror path such as `alpine-secdb/`.
    public static func mirror(base: String, path: String) throws(FeedUpdateError) -> FeedLocation {
        switch try FeedLocation(base) {
        case .local(let dir):
            return .local(dir.hasSuffix("/") ? dir + path : dir + "/" + path)
        case .remote(let url):
            let encoded = path.split(separator: "/", omittingEmptySubsequences: false)
                .map { String($0).addingPercentEncoding(withAllowedCharacters: FeedLocation.segmentAllowed) ?? String($0) }
                .joined(separator: "/")
            return .remote(url.hasSuffix("/") ? url + encoded : url + "/" + encoded)
        }
    }

    /// Characters left as they are in one URL path segment.
    static let segmentAllowed: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~")
        return set
    }()

    /// The URL or path as written.
    public var description: String {
        switch self {
        case .local(let p): return p
        case .remote(let u): return u
        }
    }
}
