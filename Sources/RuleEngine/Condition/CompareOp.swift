import Sensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Comparison operators, with `oneof`/`anyof`/`allof` folded into `quantifier`.
enum CompareOp: Sendable {
    case eq, ne, lt, le, gt, ge, contains, icontains, bcontains, startswith, bstartswith, endswith
    case glob, iglob, regex, inSet, intersects, pmatch, exists

    /// A binary operator as written in a condition (without its `oneof`/`allof` quantifier).
    init?(operator text: String) {
        switch text {
        case "=", "==": self = .eq
        case "!=": self = .ne
        case "<": self = .lt
        case "<=": self = .le
        case ">": self = .gt
        case ">=": self = .ge
        case "contains": self = .contains
        case "icontains": self = .icontains
        case "bcontains": self = .bcontains
        case "startswith": self = .startswith
        case "bstartswith": self = .bstartswith
        case "endswith": self = .endswith
        case "glob": self = .glob
        case "iglob": self = .iglob
        case "regex": self = .regex
        case "in": self = .inSet
        case "intersects": self = .intersects
        case "pmatch": self = .pmatch
        default: return nil
        }
    }
}

enum Quantifier: Sendable { case none, any, all }
