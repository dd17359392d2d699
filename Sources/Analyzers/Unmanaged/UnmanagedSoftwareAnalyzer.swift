import Foundation
import ContainerImage

/// Finds software no package manager installed: WordPress core, plugins and themes
/// (``WordPressSampler``) and programs recognised by ``BinaryClassifier``. Files that dpkg, apk
/// or a language analyzer claims are skipped, so nothing is counted twice.
public struct UnmanagedSoftwareAnalyzer: InventoryAnalyzer {
    public init() {}

    public var name: String { "unmanaged" }

    public var request: FileRequest {
        // Package file lists first: their names (`php8.2-cli.list`) must never reach the binary globs.
        FileRequest(samplers: [PackageOwnership.DpkgListSampler(), WordPressSampler(), BinarySampler()])
    }

    public func analyze(_ fs: any FileSystemView, into inventory: inout Inventory) throws {
        let samples = try fs.sampledFiles()
        let ownership = try PackageOwnership(fs, samples: samples)
        var claimed: Set<String> = []
        for app in inventory.applications {
            if !app.filePath.isEmpty { claimed.insert(app.filePath) }
            for pkg in app.packages { claimed.insert(pkg.databasePath) }
        }
        func unmanaged(_ path: String) -> Bool {
            !ownership.owns(path) && !claimed.contains(path) && !path.contains("/node_modules/") && !path.hasPrefix("node_modules/")
        }
        var found: [UnmanagedSoftware] = []
        var warnings: [String] = []
        var plugins: [String: PluginEvidence] = [:]
        for file in samples {
            if file.path.hasPrefix(PackageOwnership.DpkgListSampler.directory) { continue }
            if let role = WordPressSampler.role(of: file.path) {
                guard unmanaged(file.path) else { continue }
                switch role {
                case .coreVersion:
                    switch WordPressParser.coreVersion(file.bytes) {
                    case .version(let v):
                        found.append(UnmanagedSoftware(kind: .wordpress, name: "wordpress", version: v,
                                                       products: [CPEProduct("wordpress", "wordpress")], path: file.path, layer: file.layer))
                    case .notLiteral(let rhs):
                        warnings.append("\(file.path): $wp_version is not a plain string literal (\(Self.printable(rhs))); WordPress version not detected")
                    case .absent:
                        warnings.append("\(file.path): no $wp_version assignment; WordPress version not detected")
                    }
                case .pluginFile(let slug):
                    let key = Self.pluginKey(file.path, slug)
                    guard let title = WordPressParser.header("Plugin Name", in: file.bytes) else { continue }
                    // Several files may carry a header; WordPress lists the first in path order.
                    if plugins[key]?.main == nil {
                        plugins[key, default: PluginEvidence(slug: slug)].main = (file, title, WordPressParser.header("Version", in: file.bytes))
                    }
                case .pluginReadme(let slug):
                    plugins[Self.pluginKey(file.path, slug), default: PluginEvidence(slug: slug)].stableTag =
                        WordPressParser.plainVersion(WordPressParser.header("Stable tag", in: file.bytes))
                case .themeStyle(let slug):
                    guard let title = WordPressParser.header("Theme Name", in: file.bytes) else { continue }
                    guard let version = WordPressParser.plainVersion(WordPressParser.header("Version", in: file.bytes)) else {
                        warnings.append("\(file.path): theme '\(slug)' has no usable Version header; not matched")
                        continue
                    }
                    found.append(UnmanagedSoftware(kind: .wordpressTheme, name: slug, version: version,
                                                   products: [CPEProduct("*", Self.cpeProduct(slug))], path: file.path,
                                                   layer: file.layer, title: title))
                }
                continue
            }
            guard unmanaged(file.path) else { continue }
            // Only the classifier's own samples: jars and executables are other analyzers' samples.
            guard !JarSampler.isArchive(file.path),
                  BinaryClassifier.entry(forBaseName: file.path.split(separator: "/").last ?? file.path[...]) != nil else { continue }
            for line in file.bytes.split(separator: 0x0A) {
                let fields = line.split(separator: 0x09, maxSplits: 2).map { String(decoding: $0, as: UTF8.self) }
                if fields.first == "W", fields.count == 2 {
                    warnings.append(fields[1])
                } else if fields.first == "M", fields.count == 3,
                          let entry = BinaryClassifier.entries.first(where: { $0.name == fields[1] }) {
                    found.append(UnmanagedSoftware.program(entry, version: fields[2], path: file.path, layer: file.layer))
                }
            }
        }
        for (_, plugin) in plugins {
            guard let main = plugin.main else { continue }
            guard let version = WordPressParser.plainVersion(main.version) ?? plugin.stableTag else {
                warnings.append("\(main.file.path): plugin '\(plugin.slug)' has no usable Version header or readme Stable tag; not matched")
                continue
            }
            found.append(UnmanagedSoftware(kind: .wordpressPlugin, name: plugin.slug, version: version,
                                           products: [CPEProduct("*", Self.cpeProduct(plugin.slug))], path: main.file.path,
                                           layer: main.file.layer, title: main.title))
        }
        inventory.unmanaged += found
        inventory.unmanaged.sort { ($0.path, $0.name) < ($1.path, $1.name) }
        inventory.warnings += warnings
    }

    private struct PluginEvidence {
        var slug: String
        var main: (file: FoundFile, title: String, version: String?)?
        var stableTag: String?
    }

    /// The plugin directory (or single file) a sample belongs to.
    private static func pluginKey(_ path: String, _ slug: String) -> String {
        guard let r = path.range(of: "wp-content/plugins/", options: .backwards) else { return path }
        return String(path[..<r.upperBound]) + slug
    }

    /// NVD spells WordPress add-on products with `_` where slugs have `-` (`contact_form_7`).
    static func cpeProduct(_ slug: String) -> String { slug.lowercased().replacingOccurrences(of: "-", with: "_") }

    static func printable(_ s: String) -> String {
        String(s.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }.prefix(60).map(Character.init))
    }
}
