import Foundation

/// Standard error output.
enum Console {
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("vigil: warning: \(oneLine(message))\n".utf8))
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("vigil: error: \(oneLine(message))\n".utf8))
    }

    /// Messages quote names and lines from untrusted images and feeds: control characters are
    /// escaped so a hostile entry name can neither forge a second `vigil: error:` line nor drive
    /// the terminal.
    static func oneLine(_ message: String) -> String {
        var out = ""
        for scalar in message.unicodeScalars {
            switch scalar.value {
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0..<0x20, 0x7F, 0x80..<0xA0, 0x2028, 0x2029:
                out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
