import ContainerImage
import VigilCore

/// An image name as Docker parses it: `alpine` is `docker.io/library/alpine:latest`,
/// `host:5000/team/app@sha256:…` names a registry, a repository and a digest.
public struct ImageReference: Sendable, Equatable, CustomStringConvertible {
    /// Registry as written (`docker.io`, `127.0.0.1:5000`).
    public var registry: String
    /// Repository path (`library/alpine`).
    public var repository: String
    public var tag: String?
    public var digest: String?

    /// Docker Hub's canonical name and its API host.
    public static let dockerHub = "docker.io"
    static let dockerHubAPI = "registry-1.docker.io"

    /// Parses with Docker's normalisation rules.
    public init(parsing text: String) throws(RegistryError) {
        var rest = Substring(text)
        guard !rest.isEmpty, rest.count <= 4096 else { throw RegistryError(.invalidReference, "invalid image reference '\(text)'") }
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
            guard let d = digest, Self.isValidDigest(d) else {
                throw RegistryError(.invalidReference, "invalid digest in image reference '\(text)' (expected sha256:<64 hex digits>)")
            }
        }
        var registry = Self.dockerHub
        if let slash = rest.firstIndex(of: "/") {
            let first = rest[..<slash]
            // A first component with a dot or a port, or `localhost`, is a registry host (Docker's rule).
            if first.contains(".") || first.contains(":") || first == "localhost" {
                registry = String(first)
                rest = rest[rest.index(after: slash)...]
            }
        }
        var tag: String?
        if let colon = rest.lastIndex(of: ":") {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        var repository = String(rest)
        if registry == Self.dockerHub, !repository.contains("/") { repository = "library/" + repository }
        guard Self.isValidRepository(repository) else {
            throw RegistryError(.invalidReference, "invalid repository name in image reference '\(text)' (lower-case letters, digits and . _ - / only)")
        }
        if let t = tag, !Self.isValidTag(t) {
            throw RegistryError(.invalidReference, "invalid tag '\(t)' in image reference '\(text)'")
        }
        if tag == nil, digest == nil { tag = "latest" }
        if registry == "index.docker.io" { registry = Self.dockerHub }
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    /// The host the API lives on.
    public var apiHost: String { registry == Self.dockerHub ? Self.dockerHubAPI : registry }

    /// What to ask the manifests endpoint for: the digest when given, else the tag.
    public var manifestReference: String { digest ?? tag ?? "latest" }

    /// `docker.io/library/alpine:3.10`, the fully qualified form.
    public var description: String {
        var s = "\(registry)/\(repository)"
        if let tag { s += ":\(tag)" }
        if let digest { s += "@\(digest)" }
        return s
    }

    /// `repo:tag` as Trivy lists RepoTags (Docker Hub names shortened as Docker shows them).
    public var repoTag: String? {
        tag.map { "\(familiarName):\($0)" }
    }

    /// `alpine` for `docker.io/library/alpine`, the full name elsewhere.
    public var familiarName: String {
        if registry == Self.dockerHub {
            return repository.hasPrefix("library/") ? String(repository.dropFirst(8)) : repository
        }
        return "\(registry)/\(repository)"
    }

    /// `sha256:` + 64 lower-case hex digits (the same rule the image loader applies).
    static func isValidDigest(_ d: String) -> Bool { ImageLoader.isValidDigest(d) }

    static func isValidRepository(_ r: String) -> Bool {
        guard !r.isEmpty, r.count <= 255 else { return false }
        for component in r.split(separator: "/", omittingEmptySubsequences: false) {
            guard let first = component.first, let last = component.last,
                  first.isLowercaseAlnum, last.isLowercaseAlnum else { return false }
            var previousSeparator = false
            for c in component {
                if c.isLowercaseAlnum { previousSeparator = false; continue }
                guard c == "." || c == "_" || c == "-" else { return false }
                if previousSeparator && c == "." { return false }
                previousSeparator = true
            }
        }
        return true
    }

    static func isValidTag(_ t: String) -> Bool {
        guard let first = t.first, t.count <= 128, first.isLetter || first.isNumber || first == "_" else { return false }
        return t.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-") }
    }
}

extension Character {
    var isLowercaseAlnum: Bool { isASCII && (isNumber || (isLetter && isLowercase)) }
}
