/// A RubyGems requirement list, as `Gem::Requirement.new(*text.split(","))` builds it: every
/// comma-separated part is `[op] version` with op one of `=` (the default), `!=`, `>`, `<`,
/// `>=`, `<=`, `~>`, and a version satisfies the list when it satisfies every part.
///
/// `~> 2.2` ("pessimistic") means `>= 2.2` and, for the version's release part, `< 3`;
/// `~> 2.2.0` means `>= 2.2.0, < 2.3` (`Gem::Version#bump`). Advisory databases (RubySec,
/// GHSA's RubyGems entries) write requirement lists this way: `~> 5.2.4, >= 5.2.4.3`.
public struct RubyGemsRequirement: VersionRange, Hashable {
    /// A requirement operator.
    public enum Operator: String, Hashable, Sendable, CaseIterable {
        case equal = "=", notEqual = "!=", greater = ">", less = "<", greaterOrEqual = ">=", lessOrEqual = "<="
        case pessimistic = "~>"
    }

    /// The parts, all of which must hold.
    public let requirements: [(op: Operator, version: RubyGemsVersion)]
    private let text: String

    /// Parses a requirement list; throws on a part `Gem::Requirement.parse` calls ill-formed.
    public init(_ text: String) throws(VersionError) {
        self.text = text
        var parts: [(Operator, RubyGemsVersion)] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            parts.append(try Self.parse(part, whole: text))
        }
        requirements = parts
    }

    /// `Gem::Requirement::PATTERN`: `\A\s*(op)?\s*(VERSION_PATTERN)\s*\z`.
    static func parse(_ part: Substring, whole: String) throws(VersionError) -> (Operator, RubyGemsVersion) {
        let bytes = Array(part.utf8)
        var i = 0
        while i < bytes.count, RubyGemsVersion.isRubySpace(bytes[i]) { i += 1 }
        var op = Operator.equal
        // Longest operator first: `>=` before `>` (the regex backtracks to the same result).
        for candidate in [Operator.notEqual, .greaterOrEqual, .lessOrEqual, .pessimistic, .equal, .greater, .less] {
            let spelled = Array(candidate.rawValue.utf8)
            if bytes.count - i >= spelled.count, Array(bytes[i..<(i + spelled.count)]) == spelled {
                op = candidate
                i += spelled.count
                break
            }
        }
        let rest = Array(bytes[i...])
        // The version must be non-empty here (an empty `Gem::Version` is only valid on its own).
        guard rest.contains(where: { !RubyGemsVersion.isRubySpace($0) }), RubyGemsVersion.isCorrect(rest),
            let version = try? RubyGemsVersion(String(decoding: rest, as: UTF8.self))
        else {
            throw VersionError(scheme: .rubygems, input: whole, reason: "ill-formed requirement '\(part)'", subject: .range)
        }
        return (op, version)
    }

    /// The requirement as written.
    public var description: String { text }

    /// `satisfied_by?` for a version string; false when `Gem::Version` rejects it.
    public func contains(_ version: String) -> Bool {
        guard let parsed = try? RubyGemsVersion(version) else { return false }
        return contains(parsed)
    }

    /// `satisfied_by?`: every part holds.
    public func contains(_ version: RubyGemsVersion) -> Bool {
        requirements.allSatisfy { op, bound in
            let order = RubyGemsVersion.compare(version.canonical, bound.canonical)
            switch op {
            case .equal: return order == 0
            case .notEqual: return order != 0
            case .greater: return order > 0
            case .less: return order < 0
            case .greaterOrEqual: return order >= 0
            case .lessOrEqual: return order <= 0
            case .pessimistic:
                return order >= 0
                    && RubyGemsVersion.compare(RubyGemsVersion.canonical(version.release), RubyGemsVersion.canonical(bound.bump)) < 0
            }
        }
    }

    public static func == (lhs: RubyGemsRequirement, rhs: RubyGemsRequirement) -> Bool {
        lhs.requirements.count == rhs.requirements.count
            && zip(lhs.requirements, rhs.requirements).allSatisfy { $0.op == $1.op && $0.version == $1.version }
    }

    public func hash(into hasher: inout Hasher) {
        for (op, version) in requirements {
            hasher.combine(op)
            hasher.combine(version)
        }
    }
}
