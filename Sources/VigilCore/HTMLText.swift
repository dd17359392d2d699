/// Escaping text for HTML element content and quoted attribute values.
public enum HTMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references. `apostrophe` is
    /// the reference for `'`: `&#39;` (HTML 4 and every browser) or `&apos;` (jq's `@html`).
    public static func escape(_ text: String, apostrophe: String = "&#39;") -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += apostrophe
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
