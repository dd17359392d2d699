import Sensor
import VigilCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A field (possibly transformed) as an operand.
indirect enum Operand: @unchecked Sendable {
    case field(FieldRef)
    case transformed(String, Operand)
    case joined(String, [Operand])
    case literal(String)

    func value(_ e: Event, _ p: ProcessRecord, _ s: SystemState) -> FieldValue? {
        switch self {
        case .field(let f): return FieldExtractor.extract(f, e, p, s)
        case .literal(let l): return .string(l)
        case .joined(let sep, let parts):
            var out: [String] = []
            for part in parts {
                guard let v = part.value(e, p, s) else { return nil }
                out.append(v.text)
            }
            return .string(out.joined(separator: sep))
        case .transformed(let t, let inner):
            guard let v = inner.value(e, p, s) else { return nil }
            switch t {
            case "tolower": return .string(v.text.lowercased())
            case "toupper": return .string(v.text.uppercased())
            case "basename": return .string(Paths.basename(v.text))
            case "len": return .number(Int64(v.text.utf8.count))
            // libsinsp skips every `=`, wherever it stands
            case "b64": return Base64.decode(v.text.utf8, padding: .isSkipped, rejectsLoneCharacter: false).map { .string(String(decoding: $0, as: UTF8.self)) }
            default: return v  // val
            }
        }
    }

    /// The field this operand reads, for explanations.
    var fieldName: String {
        switch self {
        case .field(let f): return f.arg.map { "\(f.name)[\($0)]" } ?? f.name
        case .transformed(let t, let inner): return "\(t)(\(inner.fieldName))"
        case .joined(_, let parts): return "join(" + parts.map(\.fieldName).joined(separator: ", ") + ")"
        case .literal(let l): return "\"\(l)\""
        }
    }

    var isNumeric: Bool {
        switch self {
        case .field(let f): return FieldRegistry.standard.entries[f.name]?.kind == .number
        case .transformed(let t, _): return t == "len"
        default: return false
        }
    }

    var isBool: Bool {
        if case .field(let f) = self { return FieldRegistry.standard.entries[f.name]?.kind == .bool }
        return false
    }
}
