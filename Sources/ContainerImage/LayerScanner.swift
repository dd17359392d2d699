import VigilCore
/// Digests and sizes of one scanned layer blob.
public struct ScannedLayer: Sendable {
    /// `sha256:` of the blob as stored (compressed if it was).
    public var blobDigest: String
    /// `sha256:` of the uncompressed tar: the diff ID.
    public var diffID: String
    /// Size of the blob as stored.
    public var blobSize: Int
    /// Size of the uncompressed tar.
    public var uncompressedSize: Int
    public var compressed: Bool
    public var contents: LayerContents
}

/// Streams one layer blob (gzip or plain tar) and keeps only what `FileRequest` asks for.
public enum LayerScanner {
    /// Scans `source` to its end. `name` is used in errors (`layer 2 (blobs/sha256/ab12…)`).
    /// `budget` caps the bytes of wanted files kept from this layer (what is left of the image's
    /// allowance): it is checked per file, so a layer of many large wanted files fails early.
    public static func scan<S: ByteSource>(_ source: S, name: String, request: FileRequest,
                                           limits: DecompressionLimits = .standard,
                                           budget: Int = 1 << 30) throws(ContainerImageError) -> ScannedLayer {
        var raw = HashingSource(source)
        let head = try raw.readFully(512)
        switch StreamKind.sniff(head) {
        case .gzip:
            let gz = try GzipSource(PeekedSource(head: head, base: raw), name: name, limits: limits)
            let tar = TarReader(HashingSource(gz), name: name)
            let contents = try collect(tar, request: request, budget: budget)
            var plain = try tar.finish()
            try plain.drain() // bytes after the end-of-archive blocks still belong to the diff ID
            let rawSide = gz.baseSource.base
            return ScannedLayer(blobDigest: rawSide.digest(), diffID: plain.digest(), blobSize: rawSide.count,
                                uncompressedSize: plain.count, compressed: true, contents: contents)
        case .tar:
            let tar = TarReader(PeekedSource(head: head, base: raw), name: name)
            let contents = try collect(tar, request: request, budget: budget)
            var rest = try tar.finish()
            try rest.drain()
            let digest = rest.base.digest()
            return ScannedLayer(blobDigest: digest, diffID: digest, blobSize: rest.base.count,
                                uncompressedSize: rest.base.count, compressed: false, contents: contents)
        case .zstd:
            throw ContainerImageError(.unsupported, "\(name): zstd-compressed layers are not supported yet")
        case .bzip2, .xz:
            throw ContainerImageError(.unsupported, "\(name): bzip2/xz-compressed layers are not supported")
        case .other:
            throw ContainerImageError(.malformedArchive, "\(name): not a tar archive (neither gzip nor tar header)")
        }
    }

    /// Reads every entry and records what scanning needs.
    static func collect<B: ByteSource>(_ tar: TarReader<B>, request: FileRequest, budget: Int) throws(ContainerImageError) -> LayerContents {
        var contents = LayerContents()
        while let header = try tar.next() {
            let path: String
            do {
                path = try ArchivePath.clean(header.rawName)
            } catch {
                throw error.within(tar.name)
            }
            if path.isEmpty { continue }
            let (parent, base) = ArchivePath.split(path)
            if base == ".wh..wh..opq" {
                contents.opaqueDirectories.insert(parent)
                continue
            }
            if base.hasPrefix(".wh.") {
                let target = String(base.dropFirst(4))
                contents.whiteouts.insert(parent.isEmpty ? target : parent + "/" + target)
                continue
            }
            switch header.kind {
            case .symlink:
                contents.entries[path] = .symlink(header.linkName)
            case .directory:
                contents.entries[path] = .directory
            case .file:
                if let limit = request.limit(for: path) {
                    if header.size <= limit, contents.retainedBytes + header.size > budget {
                        throw ContainerImageError(.tooLarge, "\(tar.name): analyzer files kept from the image exceed \(budget >> 20) MiB (at '\(path)')")
                    }
                    let data = try tar.readContent(limit: limit)
                    contents.retainedBytes += data.count
                    contents.entries[path] = .file(data)
                } else if var reader = request.sampleReader(for: path, size: header.size, mode: header.mode) {
                    var entry = tar.entrySource()
                    let sample = try SampleStreaming.sample(&entry, with: &reader)
                    contents.retainedBytes += sample.count
                    contents.entries[path] = .sampled(sample)
                } else if contents.entries[path] != nil {
                    contents.entries[path] = nil
                }
            case .hardLink:
                let target: String
                do { target = try ArchivePath.clean(header.linkName) } catch { throw error.within(tar.name) }
                if request.wants(path) || request.sampleReader(for: path, size: 0, mode: header.mode) != nil {
                    if case .file(let data)? = contents.entries[target] {
                        contents.entries[path] = .file(data)
                    } else if case .sampled(let sample)? = contents.entries[target] {
                        contents.entries[path] = .sampled(sample)
                    } else {
                        contents.entries[path] = .hardLink(target)
                    }
                }
            case .other:
                if request.wants(path) { contents.entries[path] = .other }
            }
        }
        return contents
    }
}
