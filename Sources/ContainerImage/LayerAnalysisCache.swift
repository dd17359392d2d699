import Foundation
import JSONValue

/// What was kept from a layer, saved by (blob digest, diff ID, analyzer request) so a layer
/// already analysed is never decompressed again. Entries are written to a temp file and renamed,
/// so concurrent scans see either nothing or a whole entry.
public struct LayerAnalysisCache: Sendable {
    public let directory: String
    /// Fingerprint of the analyzers' `FileRequest`: a different set of wanted files misses.
    let requestKey: String

    public init(directory: String, request: FileRequest) {
        self.directory = directory
        let described = request.paths.sorted { $0.key < $1.key }.map { "p:\($0.key)=\($0.value)" }
            + request.directories.sorted { $0.key < $1.key }.map { "d:\($0.key)=\($0.value)" }
            + request.names.map { "n:\($0.key)=\($0.value)" }.sorted()
            + request.samplers.map { "s:\($0.identity)" }
        requestKey = sha256Digest(Array(described.joined(separator: "\n").utf8))
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func path(blobDigest: String, diffID: String) -> String {
        let key = sha256Digest(Array("v1\n\(blobDigest)\n\(diffID)\n\(requestKey)".utf8))
        return directory + "/" + key.dropFirst(7) + ".json"
    }

    /// The cached analysis, or nil (missing or unreadable entries are misses, never errors).
    public func load(blobDigest: String, diffID: String) -> ScannedLayer? {
        guard let data = FileManager.default.contents(atPath: path(blobDigest: blobDigest, diffID: diffID)),
              let json = try? JSONParser.parse([UInt8](data)),
              let size = json["size"]?.int64Value, let compressed = json["compressed"],
              let entries = json["entries"]?.arrayValue else { return nil }
        var contents = LayerContents()
        for e in entries {
            guard let parts = e.arrayValue, parts.count == 3, let p = parts[0].stringValue, let kind = parts[1].stringValue,
                  let value = parts[2].stringValue else { return nil }
            switch kind {
            case "f":
                guard let bytes = Data(base64Encoded: value) else { return nil }
                contents.entries[p] = .file([UInt8](bytes))
                contents.retainedBytes += bytes.count
            case "l": contents.entries[p] = .symlink(value)
            case "d": contents.entries[p] = .directory
            case "h": contents.entries[p] = .hardLink(value)
            case "s":
                guard let bytes = Data(base64Encoded: value) else { return nil }
                contents.entries[p] = .sampled([UInt8](bytes))
                contents.retainedBytes += bytes.count
            default: contents.entries[p] = .other
            }
        }
        contents.whiteouts = Set(json["whiteouts"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        contents.opaqueDirectories = Set(json["opaque"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        return ScannedLayer(blobDigest: blobDigest, diffID: diffID, blobSize: 0, uncompressedSize: Int(size),
                            compressed: compressed == .bool(true), contents: contents)
    }

    /// Saves an analysis (best effort: a full disk only costs a future re-analysis).
    public func store(_ layer: ScannedLayer) {
        var entries: [JSON] = []
        for (p, e) in layer.contents.entries.sorted(by: { $0.key < $1.key }) {
            let (kind, value): (String, String)
            switch e {
            case .file(let bytes): (kind, value) = ("f", Data(bytes).base64EncodedString())
            case .symlink(let t): (kind, value) = ("l", t)
            case .directory: (kind, value) = ("d", "")
            case .hardLink(let t): (kind, value) = ("h", t)
            case .sampled(let bytes): (kind, value) = ("s", Data(bytes).base64EncodedString())
            case .other: (kind, value) = ("o", "")
            }
            entries.append(.array([.string(p), .string(kind), .string(value)]))
        }
        let json = JSON.object([
            ("size", .int(layer.uncompressedSize)),
            ("compressed", .bool(layer.compressed)),
            ("entries", .array(entries)),
            ("whiteouts", .array(layer.contents.whiteouts.sorted().map(JSON.string))),
            ("opaque", .array(layer.contents.opaqueDirectories.sorted().map(JSON.string))),
        ])
        let final = path(blobDigest: layer.blobDigest, diffID: layer.diffID)
        let temp = final + ".tmp-\(getpid())-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temp, contents: Data(JSONPrinter(indent: 0).render(json).utf8)) else { return }
        if rename(temp, final) != 0 { unlink(temp) }
    }
}
