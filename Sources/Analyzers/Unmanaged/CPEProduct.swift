/// An NVD CPE vendor and product (`php`, `php`; `f5`, `nginx`): what a detection is matched
/// against. Lower-cased as the database stores them.
public struct CPEProduct: Sendable, Hashable, CustomStringConvertible {
    public var vendor: String
    public var product: String

    public init(_ vendor: String, _ product: String) {
        self.vendor = vendor
        self.product = product
    }

    /// `vendor:product`.
    public var description: String { "\(vendor):\(product)" }

    /// The CPE 2.3 name of one version of this product (`cpe:2.3:a:php:php:8.2.36:*:*:*:*:*:*:*`).
    public func cpe(version: String) -> String {
        "cpe:2.3:a:\(Self.escape(vendor)):\(Self.escape(product)):\(Self.escape(version)):*:*:*:*:*:*:*"
    }

    /// CPE 2.3 formatted-string quoting: every byte other than letters, digits and `_` is
    /// backslash-escaped (NIST IR 7695 §6.2.2.1), so `node.js` becomes `node\.js`.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            if c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" { out.unicodeScalars.append(c) } else {
                out += "\\" + String(c)
            }
        }
        return out
    }
}
