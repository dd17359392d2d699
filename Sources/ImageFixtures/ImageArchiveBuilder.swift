import ContainerImage
import JSONValue
import Foundation

/// Builds real image archives from layer tars: `docker save` format (tar or tar.gz) and OCI
/// layouts (directory entries or a tar). Used by tests and benchmarks; output is what
/// `docker save` / `skopeo copy oci:` would write for the same layers.
public struct ImageArchiveBuilder {
    /// Layer tars, lowest first (uncompressed).
    public var layers: [[UInt8]]
    public var repoTag: String
    public var architecture = "amd64"
    /// Override the config's diff IDs (to build a mismatching archive).
    public var diffIDOverride: [String]?
    /// History entries (`created_by`, `empty_layer`) instead of one per layer, and `config.User`.
    public var history: [(createdBy: String, emptyLayer: Bool)]?
    public var user: String?

    public init(layers: [[UInt8]], repoTag: String = "vigil-test:latest") {
        self.layers = layers
        self.repoTag = repoTag
    }

    static func hex(_ digest: String) -> String { String(digest.dropFirst("sha256:".count)) }

    /// The config JSON for these layers.
    public func config() -> [UInt8] {
        let diffIDs = diffIDOverride ?? layers.map { sha256Digest($0) }
        let ids = diffIDs.map { "\"\($0)\"" }.joined(separator: ",")
        var history = layers.indices.map { "{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\"layer \($0 + 1)\"}" }.joined(separator: ",")
        if let entries = self.history {
            history = entries.map { e in
                "{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\(JSONPrinter(indent: 0).render(.string(e.createdBy)).trimmingTrailingNewline())"
                    + (e.emptyLayer ? ",\"empty_layer\":true}" : "}")
            }.joined(separator: ",")
        }
        let userField = user.map { ",\"User\":\(JSONPrinter(indent: 0).render(.string($0)).trimmingTrailingNewline())" } ?? ""
        return Array("""
            {"architecture":"\(architecture)","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/sh"]\(userField)},"created":"2024-01-01T00:00:00Z","history":[\(history)],"os":"linux","rootfs":{"type":"layers","diff_ids":[\(ids)]}}
            """.utf8)
    }

    /// A `docker save` archive; `manifestLayers` overrides the layer paths the manifest names.
    public func dockerArchive(gzipped: Bool = false, manifestLayers: [String]? = nil, omitLayer: Int? = nil) -> [UInt8] {
        var tar = TarBuilder()
        var names: [String] = []
        for (i, layer) in layers.enumerated() {
            let dir = Self.hex(sha256Digest(layer + [UInt8(i)]))
            names.append("\(dir)/layer.tar")
            if omitLayer == i { continue }
            tar.directory(dir)
            tar.file("\(dir)/VERSION", text: "1.0")
            tar.file("\(dir)/layer.tar", layer)
        }
        let cfg = config()
        let cfgName = Self.hex(sha256Digest(cfg)) + ".json"
        tar.file(cfgName, cfg)
        let layerList = (manifestLayers ?? names).map { "\"\($0)\"" }.joined(separator: ",")
        tar.file("manifest.json", text: "[{\"Config\":\"\(cfgName)\",\"RepoTags\":[\"\(repoTag)\"],\"Layers\":[\(layerList)]}]")
        tar.file("repositories", text: "{}")
        let bytes = tar.finished()
        return gzipped ? Gzip.compress(bytes) : bytes
    }

    /// OCI layout files (relative path → bytes) with gzip layers.
    public func ociLayoutFiles(platformIndex: Bool = false) -> [(String, [UInt8])] {
        var files: [(String, [UInt8])] = [("oci-layout", Array("{\"imageLayoutVersion\":\"1.0.0\"}".utf8))]
        var layerDescs: [String] = []
        for layer in layers {
            let gz = Gzip.compress(layer)
            let d = sha256Digest(gz)
            files.append(("blobs/sha256/\(Self.hex(d))", gz))
            layerDescs.append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"\(d)\",\"size\":\(gz.count)}")
        }
        let cfg = config()
        let cfgDigest = sha256Digest(cfg)
        files.append(("blobs/sha256/\(Self.hex(cfgDigest))", cfg))
        let manifest = Array("""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\(cfgDigest)","size":\(cfg.count)},"layers":[\(layerDescs.joined(separator: ","))]}
            """.utf8)
        let mDigest = sha256Digest(manifest)
        files.append(("blobs/sha256/\(Self.hex(mDigest))", manifest))
        var entry = "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"\(mDigest)\",\"size\":\(manifest.count)"
        if platformIndex { entry += ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}" }
        entry += ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}"
        files.append(("index.json", Array("{\"schemaVersion\":2,\"manifests\":[\(entry)]}".utf8)))
        return files
    }

    /// An OCI layout holding one image per platform under one index (a multi-arch image).
    public static func multiPlatformLayoutFiles(_ images: [(platform: (os: String, arch: String, variant: String?), builder: ImageArchiveBuilder)]) -> [(String, [UInt8])] {
        var files: [(String, [UInt8])] = [("oci-layout", Array("{\"imageLayoutVersion\":\"1.0.0\"}".utf8))]
        var entries: [String] = []
        for (platform, builder) in images {
            var b = builder
            b.architecture = platform.arch
            let single = b.ociLayoutFiles()
            for (path, bytes) in single where path.hasPrefix("blobs/") { files.append((path, bytes)) }
            let index = String(decoding: single.first { $0.0 == "index.json" }!.1, as: UTF8.self)
            let digest = index.components(separatedBy: "\"digest\":\"")[1].components(separatedBy: "\"")[0]
            let size = files.first { $0.0 == "blobs/sha256/\(Self.hex(digest))" }!.1.count
            let variant = platform.variant.map { ",\"variant\":\"\($0)\"" } ?? ""
            entries.append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"\(digest)\",\"size\":\(size),\"platform\":{\"architecture\":\"\(platform.arch)\",\"os\":\"\(platform.os)\"\(variant)}}")
        }
        let index = Array("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[\(entries.joined(separator: ","))]}".utf8)
        let indexDigest = sha256Digest(index)
        files.append(("blobs/sha256/\(Self.hex(indexDigest))", index))
        files.append(("index.json", Array("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"\(indexDigest)\",\"size\":\(index.count),\"annotations\":{\"org.opencontainers.image.ref.name\":\"multi\"}}]}".utf8)))
        return files
    }

    /// An OCI archive: the layout as a tar.
    public func ociArchive() -> [UInt8] {
        var tar = TarBuilder()
        for (path, bytes) in ociLayoutFiles() { tar.file(path, bytes) }
        return tar.finished()
    }
}

extension String {
    func trimmingTrailingNewline() -> String { hasSuffix("\n") ? String(dropLast()) : self }
}
