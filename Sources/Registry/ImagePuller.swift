import ContainerImage
import Foundation
import JSONValue
import VigilCore

/// An image whose manifest, config and layers are all in the blob cache, verified.
public struct PulledImage: Sendable {
    public var reference: ImageReference
    /// Digest of the platform manifest (what `repo@digest` names).
    public var manifestDigest: String
    public var configBytes: [UInt8]
    public var layerDigests: [String]
    /// Bytes downloaded by this pull (0 when everything was cached).
    public var downloadedBytes: Int

    /// `repo@sha256:…` as Trivy lists RepoDigests.
    public var repoDigest: String { "\(reference.familiarName)@\(manifestDigest)" }
}

/// Resolves a reference to one platform's manifest and brings its blobs into the cache.
public struct ImagePuller: Sendable {
    public let client: RegistryClient
    public let cache: BlobCache
    public let platform: String
    /// Called with (layer index, layer count, bytes so far, total) while downloading.
    public var progress: (@Sendable (Int, Int, Int, Int?) -> Void)?
    /// Ask the registry (HEAD) for a manifest even when it is cached by digest, so a pull with
    /// credentials the registry refuses fails instead of being served from another pull's cache
    /// (a server that scans for many clients must not let one read what another pulled).
    public var confirmsCachedManifests = false

    public init(client: RegistryClient, cache: BlobCache, platform: String = "linux/amd64") {
        self.client = client
        self.cache = cache
        self.platform = platform
    }

    static let indexTypes: Set<String> = [
        "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
    ]

    /// Pulls `ref` (manifest by HEAD when cached, then whatever blobs are missing).
    public func pull(_ ref: ImageReference) async throws -> PulledImage {
        var downloaded = 0
        var (bytes, digest) = try await fetchManifest(ref, reference: ref.manifestReference, downloaded: &downloaded)
        for _ in 0..<4 {
            let json = try parse(bytes, what: "manifest \(digest)")
            if json["schemaVersion"]?.int64Value == 1 {
                throw RegistryError(.unsupported, "\(ref): Docker schema 1 manifests are not supported")
            }
            guard let manifests = json["manifests"]?.arrayValue else { break }
            let chosen = manifests.first { m in
                guard let p = m["platform"], let os = p["os"]?.stringValue, let arch = p["architecture"]?.stringValue else { return false }
                let offered = [os, arch] + (p["variant"]?.stringValue.map { [$0] } ?? [])
                return ImageLoader.platformMatches(offered.joined(separator: "/"), requested: platform)
            }
            guard let chosen, let next = chosen["digest"]?.stringValue else {
                let available = manifests.compactMap { m -> String? in
                    guard let p = m["platform"], let os = p["os"]?.stringValue, let arch = p["architecture"]?.stringValue else { return nil }
                    return "\(os)/\(arch)" + (p["variant"]?.stringValue.map { "/\($0)" } ?? "")
                }
                throw RegistryError(.noPlatform, "\(ref): no image for platform \(platform) (available: \(available.joined(separator: ", ")))")
            }
            (bytes, digest) = try await fetchManifest(ref, reference: next, downloaded: &downloaded)
        }
        let manifest = try parse(bytes, what: "manifest \(digest)")
        guard let configDigest = manifest["config"]?["digest"]?.stringValue, ImageReference.isValidDigest(configDigest),
              let layers = manifest["layers"]?.arrayValue else {
            throw RegistryError(.unsupported, "\(ref): manifest \(digest) is not an image manifest (no config and layers)")
        }
        var layerDigests: [String] = []
        for (i, layer) in layers.enumerated() {
            guard let d = layer["digest"]?.stringValue, ImageReference.isValidDigest(d) else {
                throw RegistryError(.unsupported, "\(ref): layer \(i + 1) of manifest \(digest) has an invalid digest")
            }
            layerDigests.append(d)
        }
        let config = try await fetchSmallBlob(ref, digest: configDigest, what: "\(ref): config \(configDigest)", downloaded: &downloaded)
        for (i, d) in layerDigests.enumerated() where !cache.contains(d) {
            let what = "\(ref): layer \(i + 1)/\(layerDigests.count) (\(d))"
            try await cache.withLock(d) {
                guard !cache.contains(d) else { return } // another vigil fetched it meanwhile
                try await client.downloadBlob(ref, digest: d, cache: cache, what: what) { done, total in
                    progress?(i, layerDigests.count, done, total)
                }
                downloaded += (try? FileManager.default.attributesOfItem(atPath: cache.path(for: d))[.size] as? Int) ?? 0
            }
        }
        return PulledImage(reference: ref, manifestDigest: digest, configBytes: config, layerDigests: layerDigests,
                           downloadedBytes: downloaded)
    }

    func parse(_ bytes: [UInt8], what: String) throws -> JSON {
        do { return try JSONParser.parse(bytes) } catch {
            throw RegistryError(.unsupported, "\(what): invalid JSON (\(error))")
        }
    }

    /// A manifest by tag or digest, verified and cached by digest.
    func fetchManifest(_ ref: ImageReference, reference: String, downloaded: inout Int) async throws -> ([UInt8], String) {
        let byDigest = ImageReference.isValidDigest(reference)
        if byDigest, let cached = cache.read(reference) {
            if confirmsCachedManifests, let offered = try await client.manifestDigest(ref, reference: reference), offered != reference {
                throw RegistryError(.digestMismatch, "\(ref): the registry answers manifest \(reference) with digest \(offered)")
            }
            return (cached, reference)
        }
        if !byDigest, let digest = try await client.manifestDigest(ref, reference: reference),
           ImageReference.isValidDigest(digest), let cached = cache.read(digest) {
            return (cached, digest)
        }
        let (bytes, _, headerDigest) = try await client.manifest(ref, reference: reference)
        downloaded += bytes.count
        let actual = sha256Digest(bytes)
        if byDigest, actual != reference {
            throw RegistryError(.digestMismatch, "\(ref): manifest \(reference) has digest \(actual) (corrupted or tampered)")
        }
        if let headerDigest, ImageReference.isValidDigest(headerDigest), headerDigest != actual {
            throw RegistryError(.digestMismatch, "\(ref): manifest digest \(actual) differs from the registry's Docker-Content-Digest \(headerDigest)")
        }
        try cache.store(bytes, digest: actual)
        return (bytes, actual)
    }

    func fetchSmallBlob(_ ref: ImageReference, digest: String, what: String, downloaded: inout Int) async throws -> [UInt8] {
        if let cached = cache.read(digest) { return cached }
        try await client.downloadBlob(ref, digest: digest, cache: cache, what: what) { _, _ in }
        guard let bytes = cache.read(digest) else { throw RegistryError(.io, "\(what): missing from the cache after download") }
        downloaded += bytes.count
        return bytes
    }
}
