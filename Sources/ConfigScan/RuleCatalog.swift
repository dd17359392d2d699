import VigilCore

/// Every Dockerfile check Vigil runs, in report order. Ids are stable: `DS…` ids are Trivy's
/// (same meaning), `VGL-DF-…` ids are Vigil's own. docs/config-checks.md documents each.
public enum RuleCatalog {
    static let bestPractices = "https://docs.docker.com/build/building/best-practices/"

    static func rule(_ id: String, _ title: String, _ severity: Severity, _ description: String, _ resolution: String,
                     hadolint: String? = nil, references: [String] = [bestPractices]) -> Rule {
        var refs = references
        if let h = hadolint { refs.append("https://github.com/hadolint/hadolint/wiki/\(h)") }
        return Rule(id: id, title: title, severity: severity, description: description, resolution: resolution,
                    references: refs, hadolint: hadolint)
    }

    public static let latestTag = rule("DS001", "':latest' tag used", .medium,
        "When using a 'FROM' statement you should use a specific tag to avoid uncontrolled behavior when the image is updated.",
        "Add a tag (or a digest) to the image in the 'FROM' statement", hadolint: "DL3007")
    public static let rootUser = rule("DS002", "Image user should not be 'root'", .high,
        "Running containers with 'root' user can lead to a container escape situation. It is a best practice to run containers as non-root users, which can be done by adding a 'USER' statement to the Dockerfile.",
        "Add 'USER <non root user name>' line to the Dockerfile", hadolint: "DL3002")
    public static let port22 = rule("DS004", "Port 22 exposed", .medium,
        "Exposing port 22 might allow users to SSH into the container.",
        "Remove 'EXPOSE 22' statement from the Dockerfile")
    public static let addInsteadOfCopy = rule("DS005", "ADD instead of COPY", .low,
        "You should use COPY instead of ADD unless you want to extract a tar file. Note that an ADD command will extract a tar file, which adds the risk of Zip-based vulnerabilities. Accordingly, it is advised to use a COPY command, which does not extract tar files.",
        "Use COPY instead of ADD", hadolint: "DL3020")
    public static let copyFromSelf = rule("DS006", "COPY '--from' referring to the current image", .critical,
        "COPY '--from' should not mention the current FROM alias, since it is impossible to copy from itself.",
        "Change the '--from' so that it will not refer to itself", hadolint: "DL3023")
    public static let multipleEntrypoint = rule("DS007", "Multiple ENTRYPOINT instructions listed", .critical,
        "There can only be one ENTRYPOINT instruction in a stage. Only the last ENTRYPOINT instruction takes effect.",
        "Remove unnecessary ENTRYPOINT instruction.", hadolint: "DL4004")
    public static let portOutOfRange = rule("DS008", "Exposed port out of range", .critical,
        "UNIX ports outside the range 0-65535 are exposed.",
        "Use port number within range", hadolint: "DL3011")
    public static let relativeWorkdir = rule("DS009", "WORKDIR path not absolute", .high,
        "For clarity and reliability, you should always use absolute paths for your WORKDIR.",
        "Use absolute paths for your WORKDIR", hadolint: "DL3000")
    public static let sudo = rule("DS010", "RUN using 'sudo'", .critical,
        "Avoid using 'RUN' with 'sudo' commands, as it can lead to unpredictable behavior.",
        "Don't use sudo", hadolint: "DL3004")
    public static let copyManyToFile = rule("DS011", "COPY with more than two arguments not ending with slash", .critical,
        "When a COPY command has more than two arguments, the last one should end with a slash.",
        "Add slash to last COPY argument", hadolint: "DL3021")
    public static let duplicateAlias = rule("DS012", "Duplicate aliases defined in different FROMs", .critical,
        "Different FROMs can't have the same alias defined.",
        "Change aliases to make them different", hadolint: "DL3024")
    public static let runCd = rule("DS013", "'RUN cd ...' to change directory", .medium,
        "Use WORKDIR instead of proliferating instructions like 'RUN cd … && do-something', which are hard to read, troubleshoot, and maintain.",
        "Use WORKDIR to change directory", hadolint: "DL3003")
    public static let wgetAndCurl = rule("DS014", "RUN using 'wget' and 'curl'", .low,
        "Avoid using both 'wget' and 'curl' since these tools have the same effect.",
        "Pick one util and install only it: either 'wget' or 'curl'", hadolint: "DL4001")
    public static let yumClean = rule("DS015", "'yum clean all' missing", .high,
        "You should use 'yum clean all' after using a 'yum install' command to clean package cached data and reduce image size.",
        "Add 'yum clean all' to Dockerfile", hadolint: "DL3032")
    public static let multipleCmd = rule("DS016", "Multiple CMD instructions listed", .high,
        "There can only be one CMD instruction in a stage. Only the last CMD instruction takes effect.",
        "Remove unnecessary CMD instruction.", hadolint: "DL4003")
    public static let updateAlone = rule("DS017", "'RUN <package-manager> update' instruction alone", .high,
        "The instruction 'RUN <package-manager> update' should always be followed by '<package-manager> install' in the same RUN statement: a cached update layer makes later installs use a stale package index.",
        "Combine '<package-manager> update' and '<package-manager> install' instructions to single one")
    public static let dnfClean = rule("DS019", "'dnf clean all' missing", .high,
        "Cached package data should be cleaned after installation to reduce image size.",
        "Add 'dnf clean all' to Dockerfile", hadolint: "DL3040")
    public static let zypperClean = rule("DS020", "'zypper clean' missing", .high,
        "The layer and image size should be reduced by deleting unneeded caches after running zypper.",
        "Add 'zypper clean' to Dockerfile", hadolint: "DL3036")
    public static let aptMissingYes = rule("DS021", "'apt-get' missing '-y' to avoid manual input", .high,
        "'apt-get' calls should use the flag '-y' to avoid manual user input: without it the build stops at the confirmation prompt.",
        "Add '-y' flag to 'apt-get'", hadolint: "DL3014")
    public static let maintainer = rule("DS022", "Deprecated MAINTAINER used", .high,
        "MAINTAINER has been deprecated since Docker 1.13.0.",
        "Use LABEL instead of MAINTAINER", hadolint: "DL4000")
    public static let multipleHealthcheck = rule("DS023", "Multiple HEALTHCHECK defined", .medium,
        "Providing more than one HEALTHCHECK instruction per stage is confusing and error-prone: only the last one takes effect.",
        "One HEALTHCHECK instruction must remain in Dockerfile. Remove all other instructions.", hadolint: "DL3012")
    public static let distUpgrade = rule("DS024", "'apt-get dist-upgrade' used", .high,
        "'apt-get dist-upgrade' upgrades a major version of the distribution inside the image, which makes the build unreproducible and can break the base image.",
        "Remove 'apt-get dist-upgrade' and use a newer base image instead")
    public static let apkNoCache = rule("DS025", "'apk add' is missing '--no-cache'", .high,
        "You should use 'apk add' with '--no-cache' to clean package cached data and reduce image size.",
        "Add '--no-cache' to 'apk add' in Dockerfile", hadolint: "DL3019")
    public static let noHealthcheck = rule("DS026", "No HEALTHCHECK defined", .low,
        "You should add HEALTHCHECK instruction in your docker container images to perform the health check on running containers.",
        "Add HEALTHCHECK instruction in Dockerfile")
    public static let aptNoRecommends = rule("DS029", "'apt-get' missing '--no-install-recommends'", .high,
        "'apt-get' install should use '--no-install-recommends' to minimize image size and the attack surface.",
        "Add '--no-install-recommends' flag to 'apt-get'", hadolint: "DL3015")
    public static let knownSecrets = rule("DS031", "Secrets passed via `build-args` or envs or copied secret files", .critical,
        "Passing secrets via `build-args` or envs or copying secret files can leak them out: they are stored in the image's history and configuration.",
        "Use secret mount if secrets are needed during image build. Use volume mount if secret files are needed during container runtime.",
        references: ["https://docs.docker.com/build/building/secrets/"])
    public static let pipefail = rule("DS032", "RUN with pipe without pipefail", .low,
        "A RUN instruction with a pipe only fails when the last command of the pipe fails; 'set -o pipefail' makes an error in any part of the pipe fail the build.",
        "Add 'set -o pipefail' before the pipe in the RUN instruction, or switch to a shell that supports pipefail via the SHELL instruction (SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"])",
        hadolint: "DL4006")

    public static let addRemoteURL = rule("VGL-DF-001", "ADD of a remote URL", .medium,
        "ADD downloads the URL at build time without verifying what it fetched (unless '--checksum' is given), and the download cannot be cleaned up in the same layer.",
        "Download with curl or wget in a RUN step and verify a checksum, or give ADD '--checksum=sha256:…'", hadolint: "DL3020")
    public static let addArchive = rule("VGL-DF-002", "ADD extracts a local archive", .low,
        "ADD silently extracts local tar archives into the image; a crafted archive can write outside the intended directory or unpack far more than expected.",
        "Use COPY for the archive and extract it explicitly in a RUN step (or use ADD only when extraction is intended and the archive is trusted)")
    public static let aptUpgrade = rule("VGL-DF-003", "'apt-get upgrade' used", .medium,
        "Upgrading all packages inside the build makes the image unreproducible and hides which base image the packages really came from.",
        "Use a newer or patched base image; upgrade only named packages with 'apt-get install --only-upgrade <pkg>'", hadolint: "DL3005")
    public static let aptListsNotRemoved = rule("VGL-DF-004", "apt lists not removed after 'apt-get install'", .low,
        "The package index in /var/lib/apt/lists is kept in the layer when it is not removed in the same RUN, growing the image and shipping a stale index.",
        "Add '&& rm -rf /var/lib/apt/lists/*' to the RUN that installs packages (or use a cache mount)", hadolint: "DL3009")
    public static let aptUnpinned = rule("VGL-DF-005", "apt packages installed without a pinned version", .low,
        "Without 'package=version' the build installs whatever version the mirror has that day, so two builds of the same Dockerfile differ.",
        "Pin versions: 'apt-get install <package>=<version>'", hadolint: "DL3008")
    public static let pipUnpinned = rule("VGL-DF-006", "pip packages installed without a pinned version", .low,
        "Without a version specifier pip installs the newest release, so builds are not reproducible and a compromised release is pulled in automatically.",
        "Pin versions: 'pip install <package>==<version>' or install from a requirements file with pinned versions", hadolint: "DL3013")
    public static let apkUnpinned = rule("VGL-DF-007", "apk packages installed without a pinned version", .low,
        "Without 'package=version' the build installs whatever version the repository has that day.",
        "Pin versions: 'apk add <package>=<version>'", hadolint: "DL3018")
    public static let pipeToShell = rule("VGL-DF-008", "Remote script piped into a shell", .high,
        "'curl … | sh' runs whatever the server (or anyone between it and the build) sends, with no integrity check, as root.",
        "Download the script to a file, verify its checksum or signature, then run it")
    public static let secretName = rule("VGL-DF-009", "Secret-like variable in ENV or ARG", .high,
        "ENV values are stored in the image configuration and ARG values in its history: anyone who can pull the image can read a password, token or key passed this way.",
        "Pass secrets with 'RUN --mount=type=secret' at build time and inject them at run time (orchestrator secrets); never bake them into ENV or ARG",
        references: ["https://docs.docker.com/build/building/secrets/"])
    public static let highEntropyValue = rule("VGL-DF-010", "Hard-coded high-entropy value in ENV or ARG", .high,
        "A long random-looking value (or a known token format) in ENV or ARG is most likely a credential committed with the Dockerfile and baked into the image.",
        "Remove the value from the Dockerfile, rotate the credential, and pass it as a build secret or runtime secret",
        references: ["https://docs.docker.com/build/building/secrets/"])
    public static let worldWritable = rule("VGL-DF-011", "World-writable permissions (chmod 777)", .medium,
        "Files or directories writable by every user let any process in the container (or a compromised service account) replace binaries and configuration.",
        "Grant the least permissions needed (e.g. 755 for directories, 644 for files) and chown to the service user")
    public static let privileged = rule("VGL-DF-012", "Privileged build step or Docker socket access", .high,
        "'RUN --security=insecure', 'RUN --network=host' and mounts of /var/run/docker.sock give the build (or the container) host-level privileges.",
        "Remove the privileged option; never mount the Docker socket into an image or build step")
    public static let copyWholeContext = rule("VGL-DF-013", "Whole build context copied into the image", .medium,
        "'COPY . …' copies everything in the build context – .git, .env files, credentials, build output – unless .dockerignore excludes it.",
        "Copy only the files the image needs, or maintain a strict .dockerignore")
    public static let yumMissingYes = rule("VGL-DF-014", "'yum install' missing '-y'", .medium,
        "'yum install' without '-y' waits for confirmation and fails a non-interactive build.",
        "Add '-y' to 'yum install'", hadolint: "DL3030")
    public static let zypperInteractive = rule("VGL-DF-015", "'zypper' missing '--non-interactive'", .medium,
        "zypper asks for confirmation unless run with '-n'/'--non-interactive' (or '-y'), which fails a non-interactive build.",
        "Use 'zypper -n install …' or 'zypper install -y …'", hadolint: "DL3034")
    public static let plainHTTP = rule("VGL-DF-016", "Download over plain HTTP", .high,
        "Anything fetched over http:// can be replaced in transit (man-in-the-middle): the build then installs attacker-controlled software.",
        "Download over https:// and verify a checksum or signature of what was downloaded")
    public static let tlsDisabled = rule("VGL-DF-017", "TLS certificate verification disabled", .high,
        "'curl -k', 'wget --no-check-certificate', 'pip --trusted-host' and similar switches accept any certificate, which makes https downloads as unsafe as plain http.",
        "Remove the switch; install the CA certificate the server needs instead")

    /// All rules, in report order.
    public static let all: [Rule] = [
        latestTag, rootUser, port22, addInsteadOfCopy, copyFromSelf, multipleEntrypoint, portOutOfRange, relativeWorkdir,
        sudo, copyManyToFile, duplicateAlias, runCd, wgetAndCurl, yumClean, multipleCmd, updateAlone, dnfClean, zypperClean,
        aptMissingYes, maintainer, multipleHealthcheck, distUpgrade, apkNoCache, noHealthcheck, aptNoRecommends, knownSecrets,
        pipefail,
        addRemoteURL, addArchive, aptUpgrade, aptListsNotRemoved, aptUnpinned, pipUnpinned, apkUnpinned, pipeToShell, secretName,
        highEntropyValue, worldWritable, privileged, copyWholeContext, yumMissingYes, zypperInteractive, plainHTTP, tlsDisabled,
    ]

    /// The rule with `id` (`DS002`, `DS-0002` or `VGL-DF-001`).
    public static func rule(id: String) -> Rule? {
        all.first { $0.id == id || $0.reportID == id }
    }
}
