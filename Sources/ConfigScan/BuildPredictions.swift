/// What the build will pull in, read from the Dockerfile alone: base images per stage (for
/// end-of-life lookups), every download with its URL scheme (plain http is a man-in-the-middle
/// risk), and every package file or source tarball whose name carries a version
/// (`wget_1.15-1ubuntu1.14.04.5_amd64.deb`, `bash-4.3.tar.gz`). Matching these against the
/// vulnerability database is the caller's job.
public struct BuildPredictions: Sendable {
    public var baseImages: [BaseImage]
    public var downloads: [Download]
    public var artefacts: [VersionedArtefact]

    /// A stage's `FROM`.
    public struct BaseImage: Sendable, Hashable {
        public var stage: Int
        public var stageName: String?
        /// As expanded (`ubuntu:14.04`).
        public var image: String
        /// `ubuntu`, `library/debian`, `registry:5000/team/app`.
        public var repository: String
        public var tag: String?
        public var digest: String?
        public var line: Int
        /// `FROM scratch`.
        public var isScratch: Bool
        /// `FROM <earlier stage>`: not an image.
        public var isStageReference: Bool
        /// The stage ends up in the final image (the last stage or one it is built from).
        public var isInFinalImage: Bool
    }

    /// A URL fetched by `ADD` or by a command in `RUN`.
    public struct Download: Sendable, Hashable {
        public var url: String
        /// `http`, `https`, `ftp` (lower-case).
        public var scheme: String
        public var host: String
        /// `curl`, `wget`, `ADD`, `git` …
        public var tool: String
        public var line: Int
        public var stage: Int
        /// Last path component of the URL (`bash-4.3.tar.gz`).
        public var fileName: String
    }

    /// A package file or source archive whose name carries a version.
    public struct VersionedArtefact: Sendable, Hashable {
        public enum Kind: String, Sendable { case deb, rpm, apk, tarball, zip, wheel }
        public var kind: Kind
        public var fileName: String
        /// Package or project name (`wget`, `bash`, `openssl`).
        public var name: String
        public var version: String
        /// Architecture for package files (`amd64`, `x86_64`).
        public var architecture: String?
        /// Every line that mentions the file (the download and the install, typically), ascending.
        public var lines: [Int]
        /// URLs it was downloaded from, if any.
        public var urls: [String]
        public var stage: Int
    }

    /// Extracts the predictions of `dockerfile`.
    public init(_ dockerfile: Dockerfile) {
        self.init(dockerfile, context: try? CheckContext(dockerfile))
    }

    init(_ dockerfile: Dockerfile, context: CheckContext?) {
        let final = Set(context?.finalLineage ?? [dockerfile.stages.count - 1])
        baseImages = dockerfile.stages.map { stage in
            let ref = ImageReference(stage.baseImage)
            return BaseImage(stage: stage.index, stageName: stage.name, image: stage.baseImage, repository: ref.repository, tag: ref.tag,
                             digest: ref.digest, line: stage.from.startLine, isScratch: stage.baseImage.lowercased() == "scratch",
                             isStageReference: stage.parentStage != nil, isInFinalImage: final.contains(stage.index))
        }
        var downloads: [Download] = []
        var artefacts: [VersionedArtefact] = []
        var indexByFile: [String: Int] = [:]
        func note(_ fileName: String, line: Int, stage: Int, url: String?) {
            guard let parsed = Self.parseArtefact(fileName) else { return }
            if let i = indexByFile[fileName] {
                if !artefacts[i].lines.contains(line) { artefacts[i].lines.append(line); artefacts[i].lines.sort() }
                if let url, !artefacts[i].urls.contains(url) { artefacts[i].urls.append(url) }
            } else {
                var a = parsed
                a.lines = [line]
                a.urls = url.map { [$0] } ?? []
                a.stage = stage
                indexByFile[fileName] = artefacts.count
                artefacts.append(a)
            }
        }
        func download(_ url: String, tool: String, line: Int, stage: Int) {
            let lower = url.lowercased()
            guard let sep = lower.firstRange(of: "://") else { return }
            let scheme = String(lower[..<sep.lowerBound])
            let afterScheme = url[sep.upperBound...]
            let hostPart = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            let host = String(hostPart.split(separator: "@").last ?? hostPart)
            let path = afterScheme.dropFirst(hostPart.count).prefix { $0 != "?" && $0 != "#" }
            let fileName = path.split(separator: "/").last.map(String.init) ?? ""
            downloads.append(Download(url: url, scheme: scheme, host: host, tool: tool, line: line, stage: stage, fileName: fileName))
            if !fileName.isEmpty { note(fileName, line: line, stage: stage, url: url) }
        }
        for run in context?.runs ?? [] {
            for cmd in run.commands {
                let tool = cmd.effectiveName ?? ""
                for w in cmd.words.dropFirst() {
                    let found = DockerfileChecker.urls(in: w.text)
                    for url in found { download(url, tool: tool, line: w.line, stage: run.stage) }
                    if found.isEmpty {
                        let file = w.text.split(separator: "/").last.map(String.init) ?? w.text
                        note(file, line: w.line, stage: run.stage, url: nil)
                    }
                }
            }
        }
        for stage in dockerfile.stages {
            for i in stage.instructions where i.keyword == .add || i.keyword == .copy {
                for source in i.words.dropLast() {
                    if DockerfileChecker.isRemote(source), source.lowercased().hasPrefix("http") {
                        download(source, tool: "ADD", line: i.startLine, stage: stage.index)
                    } else if i.flag("from") == nil {
                        note(source.split(separator: "/").last.map(String.init) ?? source, line: i.startLine, stage: stage.index, url: nil)
                    }
                }
            }
        }
        self.downloads = downloads
        self.artefacts = artefacts
    }

    static let tarballSuffixes = [".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".tar.lz", ".tar", ".zip"]
    static let platformMarkers = ["-linux", ".linux", "-x86_64", "-amd64", "-x64", "-arm64", "-aarch64", "-darwin", "-windows",
                                  "-src", ".src", "-bin", "-source", ".orig"]

    /// Name, version (and architecture) from a file name; nil when it carries no version.
    public static func parseArtefact(_ fileName: String) -> VersionedArtefact? {
        // Every artefact name has an extension and a digit in its version.
        guard fileName.utf8.contains(UInt8(ascii: ".")), fileName.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        func make(_ kind: VersionedArtefact.Kind, _ name: String, _ version: String, _ arch: String?) -> VersionedArtefact? {
            guard !name.isEmpty, let first = version.first, first.isNumber || (first == "v" && version.dropFirst().first?.isNumber == true) else { return nil }
            return VersionedArtefact(kind: kind, fileName: fileName, name: name, version: version, architecture: arch, lines: [], urls: [], stage: 0)
        }
        if fileName.hasSuffix(".deb") {
            // name_version_arch.deb (Debian policy); an epoch is written %3a.
            let parts = fileName.dropLast(4).split(separator: "_", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { return nil }
            return make(.deb, parts[0], parts[1].replacingPercent3A(), parts[2])
        }
        if fileName.hasSuffix(".rpm") {
            // name-version-release.arch.rpm
            let base = fileName.dropLast(4)
            guard let dot = base.lastIndex(of: ".") else { return nil }
            let arch = String(base[base.index(after: dot)...])
            let nvr = base[..<dot].split(separator: "-").map(String.init)
            guard nvr.count >= 3 else { return nil }
            return make(.rpm, nvr.dropLast(2).joined(separator: "-"), nvr[nvr.count - 2] + "-" + nvr[nvr.count - 1], arch)
        }
        if fileName.hasSuffix(".apk") {
            // name-version-rN.apk
            let nvr = fileName.dropLast(4).split(separator: "-").map(String.init)
            guard nvr.count >= 3, nvr.last!.hasPrefix("r") else { return nil }
            return make(.apk, nvr.dropLast(2).joined(separator: "-"), nvr[nvr.count - 2] + "-" + nvr[nvr.count - 1], nil)
        }
        if fileName.hasSuffix(".whl") {
            let parts = fileName.dropLast(4).split(separator: "-").map(String.init)
            guard parts.count >= 2 else { return nil }
            return make(.wheel, parts[0], parts[1], parts.count >= 5 ? parts.last : nil)
        }
        let lower = fileName.lowercased()
        guard let suffix = tarballSuffixes.first(where: { lower.hasSuffix($0) }) else { return nil }
        var stem = String(fileName.dropLast(suffix.count))
        for marker in platformMarkers {
            if let off = stem.byteOffset(of: marker) { stem = String(decoding: stem.utf8.prefix(off), as: UTF8.self) }
        }
        // name-1.2.3 (GNU convention); the version starts at the first "-<digit>" or "-v<digit>".
        let chars = Array(stem)
        var split: Int? = nil
        for i in chars.indices.dropLast() where chars[i] == "-" || chars[i] == "_" {
            let next = chars[i + 1]
            if next.isNumber || (next == "v" && i + 2 < chars.count && chars[i + 2].isNumber) { split = i; break }
        }
        guard let s = split else { return nil }
        let name = String(chars[..<s]), version = String(chars[(s + 1)...])
        return make(suffix == ".zip" ? .zip : .tarball, name, version, nil)
    }
}

extension String {
    func replacingPercent3A() -> String {
        var out = ""
        var rest = self[...]
        while let r = rest.firstRange(of: "%3a") ?? rest.firstRange(of: "%3A") {
            out += rest[..<r.lowerBound] + ":"
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
