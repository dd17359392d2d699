/// A parsed Dockerfile: parser directives, every instruction in file order with its position and
/// original text, and the build stages with their arguments already expanded the way BuildKit's
/// dockerfile frontend expands them.
public struct Dockerfile: Sendable {
    /// The file name used in errors and reports.
    public var file: String
    /// Source lines without their line terminators (index 0 is line 1).
    public var lines: [String]
    /// `# syntax=`, `# escape=`, `# check=` … from the top of the file.
    public var directives: [ParserDirective]
    /// The escape character in effect (`\` unless `# escape=` says otherwise).
    public var escapeCharacter: Character
    /// `ARG` instructions before the first `FROM` (usable in `FROM` lines only).
    public var metaArguments: [Instruction]
    /// Build stages in order; the last one is the image that gets tagged.
    public var stages: [Stage]

    /// Every instruction in file order, meta arguments first.
    public var instructions: [Instruction] { metaArguments + stages.flatMap(\.instructions) }

    /// The text of lines `range` (1-based, inclusive), clamped to the file.
    public func text(lines range: ClosedRange<Int>) -> [String] {
        let lo = max(range.lowerBound, 1), hi = min(range.upperBound, lines.count)
        guard lo <= hi else { return [] }
        return Array(lines[(lo - 1)...(hi - 1)])
    }
}

/// `# name=value` at the very top of a Dockerfile.
public struct ParserDirective: Sendable, Hashable {
    /// Lower-cased name (`syntax`, `escape`, `check`).
    public var name: String
    public var value: String
    public var line: Int
}

/// One `FROM` and everything up to the next `FROM`.
public struct Stage: Sendable {
    /// 0-based position among the stages.
    public var index: Int
    /// The `AS name` alias, lower-cased as BuildKit compares it; nil when the stage has none.
    public var name: String?
    /// The base image after meta-argument expansion (`ubuntu:14.04`, `scratch`, or a stage name).
    public var baseImage: String
    /// The base image as written (`ubuntu:${VERSION}`).
    public var baseImageRaw: String
    /// `--platform=` of the `FROM`, expanded.
    public var platform: String?
    /// Index of the earlier stage this one builds on (`FROM builder AS final`), if any.
    public var parentStage: Int?
    /// The stage's instructions, its `FROM` first.
    public var instructions: [Instruction]

    /// The `FROM` instruction.
    public var from: Instruction { instructions[0] }
}

/// How a `RUN`, `CMD`, `ENTRYPOINT`, `SHELL` or `HEALTHCHECK CMD` gives its command.
public enum CommandForm: Sendable, Hashable {
    /// JSON array form: run directly, no shell.
    case exec([String])
    /// Shell form: the text handed to the stage's shell (`/bin/sh -c` by default).
    case shell(String)
}

/// `--name=value` written after the instruction keyword (`COPY --from=build`).
public struct InstructionFlag: Sendable, Hashable {
    /// Without the leading `--`.
    public var name: String
    /// The value after `=`, expanded for instructions BuildKit expands; nil for a bare boolean flag.
    public var value: String?
}

/// `name=value` of `ENV`, `ARG` and `LABEL`.
public struct KeyValue: Sendable, Hashable {
    public var key: String
    /// The value after expansion and quote removal; nil for `ARG name` without a default.
    public var value: String?
    /// The value as written.
    public var rawValue: String?
}

/// A here-document attached to `RUN`, `COPY` or `ADD` (`<<EOF` … `EOF`).
public struct Heredoc: Sendable, Hashable {
    /// The delimiter word, quotes removed.
    public var name: String
    /// The body, every line with its newline; for `<<-` leading tabs are removed as the shell does.
    public var content: String
    /// False when the delimiter was quoted (`<<"EOF"`): the body is taken literally.
    public var expands: Bool
    /// `<<-`: leading tabs stripped from body lines and terminator.
    public var stripsTabs: Bool
    /// File descriptor written before `<<` (`3<<EOF`), 0 when none.
    public var fileDescriptor: Int
    /// Line of the first body line (the line after the instruction, or after the previous heredoc).
    public var firstLine: Int
}

/// One instruction with its position, its original text and its interpreted arguments.
public struct Instruction: Sendable {
    /// The instructions BuildKit knows.
    public enum Keyword: String, Sendable, CaseIterable {
        case from, run, cmd, label, maintainer, expose, env, add, copy, entrypoint, volume, user,
             workdir, arg, onbuild, stopsignal, healthcheck, shell
        /// Upper-case spelling (`COPY`).
        public var name: String { rawValue.uppercased() }
    }

    public var keyword: Keyword
    /// First physical line of the instruction (1-based).
    public var startLine: Int
    /// Last physical line, including continuation lines and heredoc bodies.
    public var endLine: Int
    /// The physical lines `startLine...endLine` joined with newlines, exactly as written.
    public var original: String
    /// Flags after the keyword (`--from=build`), values expanded where BuildKit expands them.
    public var flags: [InstructionFlag]
    /// Everything after the keyword and flags with continuations joined (the logical line's rest).
    public var rawArguments: String
    /// For `FROM`, `COPY`, `ADD`, `EXPOSE`, `VOLUME`, `USER`, `WORKDIR`, `STOPSIGNAL`, `MAINTAINER`:
    /// the expanded words (one word for the single-string instructions). For `ONBUILD`, empty.
    public var words: [String]
    /// `ENV`, `ARG`, `LABEL` pairs in order.
    public var pairs: [KeyValue]
    /// `RUN`, `CMD`, `ENTRYPOINT`, `SHELL`, `HEALTHCHECK CMD`: the command; nil otherwise (and for `HEALTHCHECK NONE`).
    public var command: CommandForm?
    /// Here-documents in the order their bodies appear.
    public var heredocs: [Heredoc]
    /// For `ONBUILD`: the trigger instruction (exactly one element).
    public var trigger: [Instruction]
    /// For commands run by a shell (`RUN`, `CMD`, `ENTRYPOINT`, `HEALTHCHECK`): the values the
    /// `ARG`/`ENV` variables the command mentions have at that point of the build.
    public var variables: [String: String] = [:]
    /// Index of the stage the instruction belongs to; nil for meta `ARG`s before the first `FROM`.
    public var stageIndex: Int?
    /// Where each physical line begins inside the logical line (`rawLine`): pairs of
    /// (offset in unicode scalars, line number). Lets shell-level findings name their exact line.
    public var lineStarts: [LineStart]
    /// Offset in unicode scalars of `rawArguments` inside the logical line.
    public var argumentsOffset: Int

    /// The first value of flag `name` (`from`, `chown`, `mount` …).
    public func flag(_ name: String) -> String? {
        flags.first { $0.name == name }.map { $0.value ?? "" }
    }

    /// Every value of a repeatable flag (`--mount`).
    public func flagValues(_ name: String) -> [String] {
        flags.filter { $0.name == name }.map { $0.value ?? "" }
    }

    /// The physical line holding scalar `offset` of `rawArguments`.
    public func line(atArgumentOffset offset: Int) -> Int {
        let absolute = offset + argumentsOffset
        // Binary search: the last line start at or before the offset.
        var lo = 0, hi = lineStarts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if lineStarts[mid].offset <= absolute { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? startLine : lineStarts[lo - 1].line
    }

    /// `startLine...endLine`.
    public var lineRange: ClosedRange<Int> { startLine...endLine }
}

/// Where a physical line starts inside an instruction's joined logical line.
public struct LineStart: Sendable, Hashable {
    public var offset: Int
    public var line: Int
}
