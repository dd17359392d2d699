import VigilCore

/// Everything that can go wrong loading, compiling or running rules.
///
/// `description` is one line a user can act on, led by `file:line:column` when the problem is
/// in a rules file.
public typealias RuleEngineError = EngineError<RuleEngineFailure>

/// What kind of failure this is; its raw value is the stable part of ``code``.
public enum RuleEngineFailure: String, ErrorReason {
    case syntax, load, compile, io, events, output, usage

    /// `rules.<reason>`.
    public static let domain = "rules"
}
