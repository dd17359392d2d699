import Foundation

/// Durations as Trivy and Go write them (`168h`, `90m`, `1h30m`, `45s`) plus days and weeks
/// (`7d`, `2w`); a bare number is hours.
enum DurationText {
    static func seconds(_ text: String) -> TimeInterval? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !t.isEmpty else { return nil }
        if let hours = Double(t) { return hours >= 0 ? hours * 3600 : nil }
        let units: [Character: Double] = ["w": 604_800, "d": 86_400, "h": 3600, "m": 60, "s": 1]
        var total = 0.0
        var number = ""
        for c in t {
            if c.isNumber || c == "." {
                number.append(c)
            } else if let unit = units[c], let value = Double(number) {
                total += value * unit
                number = ""
            } else {
                return nil
            }
        }
        return number.isEmpty ? total : nil
    }
}
