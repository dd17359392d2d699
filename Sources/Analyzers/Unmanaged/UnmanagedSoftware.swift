/// One piece of software found outside any package manager: a WordPress core, plugin or theme,
/// or a program built from source, with the file that proves it.
public struct UnmanagedSoftware: Sendable, Hashable {
    /// Trivy's result `Type` for it.
    public enum Kind: String, Sendable, Hashable {
        case wordpress
        case wordpressPlugin = "wordpress-plugin"
        case wordpressTheme = "wordpress-theme"
        case binary
    }

    public var kind: Kind
    /// `wordpress`, the plugin or theme slug, or the program (`php`, `httpd`).
    public var name: String
    public var version: String
    /// The NVD products it is matched as; for plugins and themes the slug as product, any vendor
    /// (NVD files plugins under their authors), restricted to `target_sw` `wordpress`.
    public var products: [CPEProduct]
    /// The evidence: `usr/src/wordpress/wp-includes/version.php`, `usr/local/bin/php`.
    public var path: String
    /// The layer that holds the evidence file (nil for a root filesystem).
    public var layer: Int?
    /// The CPE version and update attributes: the version as found, update `-` (a release), except
    /// where NVD spells a program's patch level as the update (bash `5.2.15` → `5.2`, `patch15`).
    public var cpeVersion: String
    public var cpeUpdate: String
    /// The human name a header gives (`Akismet Anti-Spam`), for plugins and themes.
    public var title: String?

    public init(kind: Kind, name: String, version: String, products: [CPEProduct], path: String, layer: Int?, title: String? = nil) {
        self.kind = kind
        self.name = name
        self.version = version
        self.products = products
        self.path = path
        self.layer = layer
        self.title = title
        cpeVersion = version
        cpeUpdate = "-"
    }

    /// Package URL: `pkg:wordpress/wordpress@4.6.1` style for WordPress parts, `pkg:generic/php@8.2.36` for binaries.
    public var purl: String {
        switch kind {
        case .wordpress: "pkg:generic/wordpress@\(version)"
        case .wordpressPlugin: "pkg:wordpress-plugin/\(name)@\(version)"
        case .wordpressTheme: "pkg:wordpress-theme/\(name)@\(version)"
        case .binary: "pkg:generic/\(name)@\(version)"
        }
    }

    /// Whether NVD criteria must name `wordpress` as their target software (plugins and themes,
    /// whose product names are only unique among WordPress add-ons).
    public var requiresWordPressTarget: Bool { kind == .wordpressPlugin || kind == .wordpressTheme }
}
