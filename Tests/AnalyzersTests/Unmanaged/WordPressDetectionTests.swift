@testable import Analyzers
import ContainerImage
import Foundation
import ImageFixtures
import Testing

/// WordPress core, plugin and theme detection over small trees written here, streamed through
/// the real layer scanner so the samplers, overlay and ownership rules all take part.
@Suite struct WordPressDetectionTests {
    static let versionPHP = """
        <?php
        /**
         * WordPress Version
         *
         * @global string $wp_version
         */
        $wp_version = '4.6.1';

        /** @global int $wp_db_version */
        $wp_db_version = 37965;
        """

    /// Scans tar layers built by `build` with the analyzers' request, as an image load does.
    static func inventory(_ layers: [TarBuilder]) throws -> Inventory {
        let request = InventoryBuilder.request
        let contents = try layers.enumerated().map { index, tar in
            try LayerScanner.scan(MemorySource(tar.finished()), name: "layer \(index + 1)", request: request).contents
        }
        return try InventoryBuilder.build(LayeredFileSystem(layers: contents, layerNames: contents.indices.map { "l\($0)" }))
    }

    @Test func coreVersionIsReadAsTextOnly() {
        #expect(WordPressParser.coreVersion(Array(Self.versionPHP.utf8)) == .version("4.6.1"))
        #expect(WordPressParser.coreVersion(Array("<?php\n$wp_version = \"6.5-RC1\" ;\n".utf8)) == .version("6.5-RC1"))
        // Code that tries to look like a version is never a version.
        for code in ["$wp_version = $_GET['v'];", "$wp_version = '4.6.1' . $x;", "$wp_version = \"{$v}\";",
                     "$wp_version = '4.6.1", "$wp_version = '';", "$wp_version = 'abc';"] {
            guard case .notLiteral = WordPressParser.coreVersion(Array(("<?php\n" + code + "\n").utf8)) else {
                Issue.record("\(code) was accepted")
                continue
            }
        }
        #expect(WordPressParser.coreVersion(Array("<?php // $wp_version is set elsewhere\n".utf8)) == .absent)
        #expect(WordPressParser.coreVersion(Array("$wp_version == '1.0';".utf8)) == .absent)
    }

    @Test func headersAreReadAsWordPressReadsThem() {
        let plugin = Array("<?php\n/*\n * Plugin Name: Hello Dolly\n * Version: 1.7.2 */\n".utf8)
        #expect(WordPressParser.header("Plugin Name", in: plugin) == "Hello Dolly")
        #expect(WordPressParser.header("version", in: plugin) == "1.7.2")
        #expect(WordPressParser.header("Author", in: plugin) == nil)
        #expect(WordPressParser.plainVersion("1.7.2") == "1.7.2")
        #expect(WordPressParser.plainVersion("trunk") == nil)
        #expect(WordPressParser.plainVersion("1.0 <script>") == nil)
    }

    @Test(arguments: [
        ("usr/src/wordpress/wp-includes/version.php", WordPressSampler.Role.coreVersion),
        ("var/www/html/wp-content/plugins/akismet/akismet.php", .pluginFile(slug: "akismet")),
        ("var/www/html/wp-content/plugins/hello.php", .pluginFile(slug: "hello")),
        ("var/www/html/wp-content/plugins/akismet/readme.txt", .pluginReadme(slug: "akismet")),
        ("var/www/html/wp-content/themes/twentysixteen/style.css", .themeStyle(slug: "twentysixteen")),
    ])
    func candidateRoles(path: String, role: WordPressSampler.Role) {
        #expect(WordPressSampler.role(of: path) == role)
    }

    @Test(arguments: ["var/www/html/wp-content/plugins/akismet/views/config.php", "var/www/html/wp-content/themes/x/css/style.css",
                      "usr/share/doc/version.php", "srv/readme.txt", "var/www/html/wp-content/uploads/a.php"])
    func nonCandidates(path: String) {
        #expect(WordPressSampler.role(of: path) == nil)
    }

    @Test func coreWithPluginsAndThemesAndEvidence() throws {
        var tar = TarBuilder()
        tar.file("usr/src/wordpress/wp-includes/version.php", text: Self.versionPHP)
        tar.file("usr/src/wordpress/wp-content/plugins/akismet/akismet.php", text: "<?php\n/*\nPlugin Name: Akismet\nVersion: 3.1.11\n*/\n")
        tar.file("usr/src/wordpress/wp-content/plugins/akismet/class.akismet.php", text: "<?php\nclass Akismet {}\n")
        tar.file("usr/src/wordpress/wp-content/plugins/contact-form-7/wp-contact-form-7.php", text: "<?php\n/*\nPlugin Name: Contact Form 7\nVersion: trunk\n*/\n")
        tar.file("usr/src/wordpress/wp-content/plugins/contact-form-7/readme.txt", text: "=== Contact Form 7 ===\nStable tag: 4.5\n")
        tar.file("usr/src/wordpress/wp-content/plugins/index.php", text: "<?php\n// Silence is golden.\n")
        tar.file("usr/src/wordpress/wp-content/themes/twentysixteen/style.css", text: "/*\nTheme Name: Twenty Sixteen\nVersion: 1.3\n*/\n")
        let inventory = try Self.inventory([tar])
        let found = inventory.unmanaged.map { "\($0.kind.rawValue) \($0.name) \($0.version) \($0.path)" }
        #expect(found == [
            "wordpress-plugin akismet 3.1.11 usr/src/wordpress/wp-content/plugins/akismet/akismet.php",
            "wordpress-plugin contact-form-7 4.5 usr/src/wordpress/wp-content/plugins/contact-form-7/wp-contact-form-7.php",
            "wordpress-theme twentysixteen 1.3 usr/src/wordpress/wp-content/themes/twentysixteen/style.css",
            "wordpress wordpress 4.6.1 usr/src/wordpress/wp-includes/version.php",
        ])
        #expect(inventory.unmanaged.first { $0.kind == .wordpressPlugin }?.products == [CPEProduct("*", "akismet")])
        #expect(inventory.unmanaged.first { $0.name == "contact-form-7" }?.products == [CPEProduct("*", "contact_form_7")])
        #expect(inventory.warnings.isEmpty)
    }

    @Test func codeInVersionPHPIsAWarningNotADetection() throws {
        var tar = TarBuilder()
        tar.file("var/www/html/wp-includes/version.php", text: "<?php\n$wp_version = $_GET['v'];\n")
        let inventory = try Self.inventory([tar])
        #expect(inventory.unmanaged.isEmpty)
        #expect(inventory.warnings == ["var/www/html/wp-includes/version.php: $wp_version is not a plain string literal ($_GET['v']); WordPress version not detected"])
    }

    @Test func treeOwnedByDpkgIsNotUnmanaged() throws {
        var base = TarBuilder()
        base.file("usr/share/wordpress/wp-includes/version.php", text: Self.versionPHP)
        base.file("var/lib/dpkg/info/wordpress.list", text: "/.\n/usr/share/wordpress\n/usr/share/wordpress/wp-includes/version.php\n")
        var copy = TarBuilder()
        copy.file("var/www/html/wp-includes/version.php", text: Self.versionPHP)
        let inventory = try Self.inventory([base, copy])
        #expect(inventory.unmanaged.map(\.path) == ["var/www/html/wp-includes/version.php"])
        #expect(inventory.unmanaged.first?.layer == 1)
    }

    @Test func laterLayerDeletingTheTreeRemovesTheDetection() throws {
        var base = TarBuilder()
        base.file("var/www/html/wp-includes/version.php", text: Self.versionPHP)
        var upper = TarBuilder()
        upper.file("var/www/.wh.html", text: "")
        #expect(try Self.inventory([base, upper]).unmanaged.isEmpty)
    }
}
