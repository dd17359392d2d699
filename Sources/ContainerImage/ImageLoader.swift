import Foundation
import JSONValue
import VigilCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads `docker save` archives (plain or gzip), OCI image layouts (directory) and OCI archives
/// (tar of a layout) in one forward pass, keeping only the files `FileRequest` names.
///
/// Tar inputs are streamed once: each member is sniffed, layer blobs are scanned as they go by
/// (the manifest may come last, as it does in `docker save`), small JSON blobs are kept, and
/// everything is tied together at the end and checked against the config's diff IDs.
public struct ImageLoader: Sendable {
    public var request: FileRequest
    public var limits: DecompressionLimits
    /// Platform to pick from an index (`linux/amd64`).
    public var platform: String
    /// Metadata blobs (manifests, configs) larger than this are not JSON we need.
    static let maxMetadataBlob = 16 << 20
    /// All small non-layer blobs kept from one archive together.
    static let maxMetadataTotal = 64 << 20
    /// All wanted files kept from every layer together.
    static let maxRetainedTotal = 1 << 30

    public init(request: FileRequest, limits: DecompressionLimits = .standard, platform: String = "linux/amd64") {
        self.request = request
        self.limits = limits
        self.platform = platform
    }

    /// Loads the image at `path` (file or directory).
    public func load(path: String) throws(ContainerImageError) -> Image {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw ContainerImageError(.notFound, "\(path): no such file or directory")
        }
        if isDir.boolValue {
            return try loadLayoutDirectory(path)
        }
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            throw ContainerImageError(.unsupported, "\(path): not a regular file or directory")
        }
        var file = try FileSource(path: path)
        let head = try file.readFully(512)
        let kind = StreamKind.sniff(head)
        let members: ArchiveMembers
        switch kind {
        case .gzip:
            let gz = try GzipSource(PeekedSource(head: head, base: file), name: path, limits: limits)
            members = try readMembers(TarReader(gz, name: path), archive: path)
        case .tar:
            members = try readMembers(TarReader(PeekedSource(head: head, base: file), name: path), archive: path)
        case .zstd, .bzip2, .xz:
            throw ContainerImageError(.unsupported, "\(path): compressed with something other than gzip; decompress it first")
        case .other:
            throw ContainerImageError(.malformedArchive, "\(path): not an image archive (expected a tar, tar.gz or an OCI layout directory)")
        }
        return try assemble(members, archive: path)
    }

    // MARK: - Tar archives

    /// What one pass over an archive found.
    struct ArchiveMembers {
        var metadata: [String: [UInt8]] = [:]
        var layers: [String: ScannedLayer] = [:]
        var symlinks: [String: String] = [:]
        var unsupported: [String: ContainerImageError] = [:]
        var retained = 0
        var metadataBytes = 0
        var endedCleanly = true
    }

    private func readMembers<B: ByteSource>(_ tar: TarReader<B>, archive: String) throws(ContainerImageError) -> ArchiveMembers {
        var members = ArchiveMembers()
        while let header = try tar.next() {
            let name: String
            do { name = try ArchivePath.clean(header.rawName) } catch { throw error.within(archive) }
            switch header.kind {
            case .symlink:
                let (parent, _) = ArchivePath.split(name)
                let joined = header.linkName.hasPrefix("/") ? header.linkName : (parent.isEmpty ? header.linkName : parent + "/" + header.linkName)
                if let target = try? ArchivePath.clean(joined) { members.symlinks[name] = target }
                continue
            case .hardLink:
                if let target = try? ArchivePath.clean(header.linkName) { members.symlinks[name] = target }
                continue
            case .file:
                break
            default:
                continue
            }
            var entry = tar.entrySource()
            let head = try entry.readFully(min(512, header.size))
            let kind = StreamKind.sniff(head)
            let isLayerCandidate = kind == .gzip || (kind == .tar && header.size >= 1024)
                || name.hasSuffix("layer.tar") || kind == .zstd
            if isLayerCandidate {
                do {
                    let scanned = try LayerScanner.scan(PeekedSource(head: head, base: entry), name: "\(archive): layer \(name)",
                                                        request: request, limits: limits,
                                                        budget: Self.maxRetainedTotal - members.retained)
                    members.layers[name] = scanned
                    members.retained += scanned.contents.retainedBytes
                } catch where error.reason == .unsupported {
                    members.unsupported[name] = error
                    try entry.drain()
                }
                if members.retained > Self.maxRetainedTotal {
                    throw ContainerImageError(.tooLarge, "\(archive): analyzer files across layers exceed \(Self.maxRetainedTotal >> 20) MiB")
                }
            } else if header.size <= Self.maxMetadataBlob {
                members.metadataBytes += header.size
                if members.metadataBytes > Self.maxMetadataTotal {
                    throw ContainerImageError(.tooLarge, "\(archive): more than \(Self.maxMetadataTotal >> 20) MiB of non-layer files")
                }
                var rest = try entry.readFully(header.size - head.count)
                rest.insert(contentsOf: head, at: 0)
                members.metadata[name] = rest
            }
        }
        // Read to the very end: a gzip stream's CRC and length trailer is only checked there, so a
        // truncated .tar.gz fails here instead of passing because the tar end marker came first.
        var rest = try tar.finish()
        try rest.drain()
        members.endedCleanly = tar.sawEndMarker
        return members
    }

    private func resolveMember(_ name: String, in members: ArchiveMembers) -> String {
        var current = name
        var hops = 0
        while let target = members.symlinks[current], hops < maxSymlinkFollows {
            current = target
            hops += 1
        }
        return current
    }

    private func parseJSON(_ bytes: [UInt8], what: String) throws(ContainerImageError) -> JSON {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw ContainerImageError(.malformedManifest, "\(what): invalid JSON (\(error))")
        }
    }

    private func assemble(_ members: ArchiveMembers, archive: String) throws(ContainerImageError) -> Image {
        func blob(_ name: String, what: String) throws(ContainerImageError) -> [UInt8] {
            let real = resolveMember(name, in: members)
            guard let bytes = members.metadata[real] else {
                throw ContainerImageError(.missingBlob, "\(archive): \(what) '\(name)' is not in the archive")
            }
            return bytes
        }
        func layer(_ name: String, index: Int) throws(ContainerImageError) -> ScannedLayer {
            let real = resolveMember(name, in: members)
            if let e = members.unsupported[real] { throw e }
            guard let scanned = members.layers[real] else {
                throw ContainerImageError(.missingBlob, "\(archive): manifest names layer \(index + 1) '\(name)' which is not in the archive")
            }
            return scanned
        }

        if let manifestBytes = members.metadata["manifest.json"] {
            // docker save
            let manifest = try parseJSON(manifestBytes, what: "\(archive): manifest.json")
            guard let first = manifest.arrayValue?.first, let configName = first["Config"]?.stringValue,
                  let layerValues = first["Layers"]?.arrayValue else {
                throw ContainerImageError(.malformedManifest, "\(archive): manifest.json has no image entry with Config and Layers")
            }
            let layerNames = layerValues.compactMap(\.stringValue)
            guard layerNames.count == layerValues.count else {
                throw ContainerImageError(.malformedManifest, "\(archive): manifest.json lists a layer that is not a path string")
            }
            let configBytes = try blob(configName, what: "config")
            var layers: [ScannedLayer] = []
            for (i, name) in layerNames.enumerated() { layers.append(try layer(name, index: i)) }
            let tags = first["RepoTags"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return try build(configBytes: configBytes, scanned: layers, names: layerNames, tags: tags,
                             digests: [], archive: archive, format: "docker-archive")
        }
        if let indexBytes = members.metadata["index.json"] {
            let (configBytes, layerDescs, digests) = try resolveOCI(indexBytes: indexBytes, archive: archive) { (digest) throws(ContainerImageError) -> [UInt8] in
                try blob(Self.blobPath(digest), what: "blob")
            }
            var layers: [ScannedLayer] = []
            for (i, desc) in layerDescs.enumerated() {
                let scanned = try layer(Self.blobPath(desc.digest), index: i)
                guard scanned.blobDigest == desc.digest else {
                    throw ContainerImageError(.digestMismatch, "\(archive): layer \(i + 1) blob digest \(scanned.blobDigest) does not match manifest's \(desc.digest)")
                }
                layers.append(scanned)
            }
            return try build(configBytes: configBytes, scanned: layers, names: layerDescs.map { Self.blobPath($0.digest) },
                             tags: [], digests: digests, archive: archive, format: "oci-archive")
        }
        if !members.endedCleanly {
            throw ContainerImageError(.truncated, "\(archive): truncated archive (no end-of-archive marker, and neither manifest.json nor index.json was reached)")
        }
        throw ContainerImageError(.malformedManifest, "\(archive): neither manifest.json (docker save) nor index.json (OCI) found")
    }

    /// `linux/arm64` matches `linux/arm64` and `linux/arm64/v8`; `linux/arm/v7` needs that variant.
    /// Components are compared whole: `linux/arm` never matches `linux/arm64`.
    public static func platformMatches(_ offered: String, requested: String) -> Bool {
        let o = offered.split(separator: "/"), r = requested.split(separator: "/")
        guard o.count >= 2, r.count >= 2, o[0] == r[0], o[1] == r[1] else { return false }
        return r.count < 3 || (o.count >= 3 && o[2] == r[2])
    }

    static func blobPath(_ digest: String) -> String {
        let parts = digest.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { return "blobs/\(digest)" }
        return "blobs/\(parts[0])/\(parts[1])"
    }

    struct Descriptor {
        var mediaType: String
        var digest: String
        var platform: String?
    }

    /// Whether `digest` is `sha256:` + 64 lower-case hex digits: digests become file paths, so
    /// anything else (`sha256:../../etc/passwd`) is refused before it reaches the filesystem.
    public static func isValidDigest(_ digest: String) -> Bool {
        guard digest.hasPrefix("sha256:") else { return false }
        let hex = digest.utf8.dropFirst(7)
        return hex.count == 64 && hex.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    private func descriptor(_ json: JSON) -> Descriptor? {
        guard let digest = json["digest"]?.stringValue else { return nil }
        var platform: String?
        if let p = json["platform"], let os = p["os"]?.stringValue, let arch = p["architecture"]?.stringValue {
            platform = "\(os)/\(arch)"
            if let v = p["variant"]?.stringValue { platform! += "/\(v)" }
        }
        return Descriptor(mediaType: json["mediaType"]?.stringValue ?? "", digest: digest, platform: platform)
    }

    /// Walks index → (nested index) → manifest → config, verifying each blob's digest.
    private func resolveOCI(indexBytes: [UInt8], archive: String,
                            fetch: (String) throws(ContainerImageError) -> [UInt8]) throws(ContainerImageError) -> ([UInt8], [Descriptor], [String]) {
        var index = try parseJSON(indexBytes, what: "\(archive): index.json")
        var depth = 0
        while true {
            depth += 1
            guard depth < 8 else { throw ContainerImageError(.malformedManifest, "\(archive): index nesting too deep") }
            guard let manifests = index["manifests"]?.arrayValue?.compactMap(descriptor), !manifests.isEmpty else {
                throw ContainerImageError(.malformedManifest, "\(archive): index.json lists no manifests")
            }
            if let bad = manifests.first(where: { !Self.isValidDigest($0.digest) }) {
                throw ContainerImageError(.malformedManifest, "\(archive): index names an invalid digest '\(bad.digest)'")
            }
            let chosen = manifests.first { $0.platform.map { Self.platformMatches($0, requested: platform) } == true }
                ?? manifests.first { $0.platform == nil }
            guard let chosen else {
                let available = manifests.compactMap(\.platform).joined(separator: ", ")
                throw ContainerImageError(.notFound, "\(archive): no manifest for platform \(platform) (available: \(available))")
            }
            let bytes = try fetch(chosen.digest)
            try verify(bytes, digest: chosen.digest, what: "\(archive): manifest")
            let doc = try parseJSON(bytes, what: "\(archive): manifest \(chosen.digest)")
            if doc["manifests"] != nil {
                index = doc
                continue
            }
            guard let configDesc = doc["config"].flatMap(descriptor),
                  let layerDescs = doc["layers"]?.arrayValue?.map({ descriptor($0) }) else {
                throw ContainerImageError(.malformedManifest, "\(archive): manifest \(chosen.digest) has no config or layers")
            }
            let layers = try layerDescs.enumerated().map { (i, d) throws(ContainerImageError) -> Descriptor in
                guard let d else { throw ContainerImageError(.malformedManifest, "\(archive): layer \(i + 1) has no digest") }
                guard Self.isValidDigest(d.digest) else {
                    throw ContainerImageError(.malformedManifest, "\(archive): layer \(i + 1) has an invalid digest '\(d.digest)'")
                }
                return d
            }
            guard Self.isValidDigest(configDesc.digest) else {
                throw ContainerImageError(.malformedManifest, "\(archive): config has an invalid digest '\(configDesc.digest)'")
            }
            let configBytes = try fetch(configDesc.digest)
            try verify(configBytes, digest: configDesc.digest, what: "\(archive): config")
            return (configBytes, layers, [])
        }
    }

    private func verify(_ bytes: [UInt8], digest: String, what: String) throws(ContainerImageError) {
        guard digest.hasPrefix("sha256:") else {
            throw ContainerImageError(.unsupported, "\(what): digest algorithm of '\(digest)' is not supported")
        }
        let actual = sha256Digest(bytes)
        guard actual == digest else {
            throw ContainerImageError(.digestMismatch, "\(what): content digest \(actual) does not match \(digest)")
        }
    }

    /// Ties config and scanned layers together and checks the diff IDs.
    private func build(configBytes: [UInt8], scanned: [ScannedLayer], names: [String], tags: [String],
                       digests: [String], archive: String, format: String) throws(ContainerImageError) -> Image {
        let config = try parseJSON(configBytes, what: "\(archive): image config")
        guard let diffIDs = config["rootfs"]?["diff_ids"]?.arrayValue?.compactMap(\.stringValue) else {
            throw ContainerImageError(.malformedManifest, "\(archive): image config has no rootfs.diff_ids")
        }
        guard diffIDs.count == scanned.count else {
            throw ContainerImageError(.malformedManifest, "\(archive): config lists \(diffIDs.count) diff IDs but the manifest has \(scanned.count) layers")
        }
        let history = (config["history"]?.arrayValue ?? []).filter { $0["empty_layer"] != .bool(true) }
        var layers: [ImageLayer] = []
        for (i, s) in scanned.enumerated() {
            guard s.diffID == diffIDs[i] else {
                throw ContainerImageError(.digestMismatch, "\(archive): layer \(i + 1) (\(names[i])): diff ID \(s.diffID) does not match the config's \(diffIDs[i])")
            }
            layers.append(ImageLayer(digest: s.compressed ? s.blobDigest : nil, diffID: s.diffID, size: s.uncompressedSize,
                                     location: names[i], createdBy: i < history.count ? history[i]["created_by"]?.stringValue : nil))
        }
        let fs = LayeredFileSystem(layers: scanned.map(\.contents), layerNames: names)
        return Image(id: sha256Digest(configBytes), config: config, repoTags: tags, repoDigests: digests,
                     layers: layers, fileSystem: fs, format: format)
    }

    // MARK: - OCI layout directory

    /// Layout files must be regular files inside the layout: a FIFO or `/dev/zero` would block or
    /// never end, and a symlink could point anywhere on the host.
    static func requireRegularFile(_ path: String, what: String) throws(ContainerImageError) {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            throw ContainerImageError(.missingBlob, "\(path): \(what) is missing")
        }
        guard st.st_mode & S_IFMT == S_IFREG else {
            throw ContainerImageError(.malformedArchive, "\(path): \(what) is not a regular file")
        }
    }

    private func loadLayoutDirectory(_ dir: String) throws(ContainerImageError) -> Image {
        let indexPath = dir + "/index.json"
        guard FileManager.default.fileExists(atPath: indexPath) else {
            throw ContainerImageError(.malformedManifest, "\(dir): not an OCI image layout (no index.json); use `vigil rootfs` for an unpacked root filesystem")
        }
        func readBlob(_ path: String, what: String) throws(ContainerImageError) -> [UInt8] {
            try Self.requireRegularFile(path, what: what)
            let src: FileSource
            do { src = try FileSource(path: path) } catch where error.reason == .notFound {
                throw ContainerImageError(.missingBlob, "\(dir): \(what) '\(path)' is missing")
            }
            guard src.size <= Self.maxMetadataBlob else {
                throw ContainerImageError(.tooLarge, "\(path): \(what) larger than \(Self.maxMetadataBlob) bytes")
            }
            var s = src
            return try s.readFully(src.size)
        }
        let indexBytes = try readBlob(indexPath, what: "index")
        let (configBytes, layerDescs, digests) = try resolveOCI(indexBytes: indexBytes, archive: dir) { (digest) throws(ContainerImageError) -> [UInt8] in
            try readBlob(dir + "/" + Self.blobPath(digest), what: "blob")
        }
        return try loadBlobs(configBytes: configBytes, layerDigests: layerDescs.map(\.digest),
                             blobPath: { dir + "/" + Self.blobPath($0) }, tags: [], digests: digests,
                             archive: dir, format: "oci-layout", cache: nil)
    }

    /// Builds an image from a config and layer blobs on disk (an OCI layout or Vigil's registry
    /// cache). With `cache`, layers analysed before are not read again.
    public func loadBlobs(configBytes: [UInt8], layerDigests: [String], blobPath: (String) -> String, tags: [String],
                          digests: [String], archive: String, format: String,
                          cache: LayerAnalysisCache?) throws(ContainerImageError) -> Image {
        let configDiffIDs = (try? JSONParser.parse(configBytes))?["rootfs"]?["diff_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
        var scanned: [ScannedLayer] = []
        var retained = 0
        for (i, digest) in layerDigests.enumerated() {
            guard Self.isValidDigest(digest) else {
                throw ContainerImageError(.malformedManifest, "\(archive): layer \(i + 1) has an invalid digest '\(digest)'")
            }
            if let cache, i < configDiffIDs.count, let hit = cache.load(blobDigest: digest, diffID: configDiffIDs[i]) {
                retained += hit.contents.retainedBytes
                scanned.append(hit)
                continue
            }
            let path = blobPath(digest)
            try Self.requireRegularFile(path, what: "layer \(i + 1) blob")
            let src: FileSource
            do { src = try FileSource(path: path) } catch where error.reason == .notFound {
                throw ContainerImageError(.missingBlob, "\(archive): manifest names layer \(i + 1) '\(Self.blobPath(digest))' which is missing")
            }
            let s = try LayerScanner.scan(src, name: "\(archive): layer \(i + 1) (\(digest))", request: request, limits: limits,
                                          budget: Self.maxRetainedTotal - retained)
            retained += s.contents.retainedBytes
            guard s.blobDigest == digest else {
                throw ContainerImageError(.digestMismatch, "\(archive): layer \(i + 1) blob digest \(s.blobDigest) does not match manifest's \(digest)")
            }
            if let cache, i < configDiffIDs.count, s.diffID == configDiffIDs[i] { cache.store(s) }
            scanned.append(s)
        }
        return try build(configBytes: configBytes, scanned: scanned, names: layerDigests.map { Self.blobPath($0) },
                         tags: tags, digests: digests, archive: archive, format: format)
    }
}
