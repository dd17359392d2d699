import Analyzers
import Report
import Testing

/// PURLs of the installed-language formats as Trivy writes them (packageurl-go: the npm name
/// lower-cased with its scope as namespace, `@` escaped; Composer's vendor as namespace).
/// InstalledLanguageTests checks npm, gem and NuGet PURLs of real packages against
/// packageurl-python; these cover the formats without real fixtures.
@Suite struct InstalledLanguagePURLTests {
    @Test(arguments: [
        (PackageFormat.nodePackage, "@Babel/Parser", "7.23.0+x", "pkg:npm/%40babel/parser@7.23.0%2Bx"),
        (.nodePackage, "lodash", "4.17.21", "pkg:npm/lodash@4.17.21"),
        (.composerVendor, "symfony/console", "v5.4.0", "pkg:composer/symfony/console@v5.4.0"),
        (.gemspec, "rack", "2.2.4", "pkg:gem/rack@2.2.4"),
        (.dotnetCore, "Newtonsoft.Json", "13.0.1", "pkg:nuget/Newtonsoft.Json@13.0.1"),
        (.nuget, "System.Text.Json", "8.0.4", "pkg:nuget/System.Text.Json@8.0.4"),
        (.condaPackage, "pip", "22.2.2", "pkg:conda/pip@22.2.2"),
    ])
    func purl(format: PackageFormat, name: String, version: String, expected: String) {
        let p = InstalledPackage(format: format, name: name, version: version, upstreamVersion: version, sourceName: name,
                                 sourceVersion: version, databasePath: "x")
        #expect(PackageURL.make(p, os: nil) == expected)
    }
}
