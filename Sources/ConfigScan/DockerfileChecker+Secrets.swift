/// Checks for credentials in `ENV`, `ARG` and `RUN`.
extension DockerfileChecker {
    /// Trivy DS031's names.
    static let knownSecretNames: Set<String> = [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET",
        "GITHUB_TOKEN", "OPENAI_API_KEY", "HF_TOKEN",
    ]
    static let knownSecretFileNames: Set<String> = ["AWS_CONFIG_FILE", "HF_TOKEN_PATH", "GOOGLE_APPLICATION_CREDENTIALS"]
    static let credentialCommands = ["aws configure set aws_access_key_id", "aws configure set aws_secret_access_key",
                                     "gcloud auth activate-service-account", "az login"]

    static func isKnownSecretName(_ name: String) -> Bool {
        if knownSecretNames.contains(name) { return true }
        for prefix in ["VITE_", "REACT_APP_"] where name.hasPrefix(prefix) {
            if knownSecretNames.contains(String(name.dropFirst(prefix.count))) { return true }
        }
        return false
    }

    static func variablePairs(_ instructions: [Instruction]) -> [(Instruction, KeyValue)] {
        instructions.filter { $0.keyword == .env || $0.keyword == .arg }.flatMap { i in i.pairs.map { (i, $0) } }
    }

    static func knownSecrets(_ c: CheckContext) -> [Misconfiguration] {
        var out: [Misconfiguration] = []
        let final = c.finalStage.instructions
        for (i, pair) in variablePairs(final) where isKnownSecretName(pair.key) {
            out.append(c.failure(RuleCatalog.knownSecrets, "Possible exposure of secret env \"\(pair.key)\" in \(i.keyword.name)", i,
                                 masked: maskable(pair)))
        }
        let copyDests = final.filter { $0.keyword == .copy }.compactMap(\.words.last)
        for (i, pair) in variablePairs(final) where knownSecretFileNames.contains(pair.key) {
            guard let v = pair.value, !v.isEmpty else { continue }
            if copyDests.contains(where: { isSubPath(v, of: $0) }) {
                out.append(c.failure(RuleCatalog.knownSecrets, "Possible exposure of the copied secret env file \"\(pair.key)\" in \(i.keyword.name)", i))
            }
        }
        for i in final where i.keyword == .copy && i.words.count == 2 {
            let src = i.words[0].hasPrefix("$") ? String(i.words[0].dropFirst()) : i.words[0]
            if knownSecretFileNames.contains(src) {
                out.append(c.failure(RuleCatalog.knownSecrets, "Possible exposure of secret file \"\(src)\" in COPY", i))
            }
        }
        for run in c.runs where run.stage == c.finalStage.index {
            guard !run.mounts().contains(where: { $0.hasPrefix("type=secret") }) else { continue }
            for cmd in run.commands {
                let line = cmd.words.map(\.text).joined(separator: " ")
                if credentialCommands.contains(where: { line.includes($0) }) {
                    out.append(fail(c, RuleCatalog.knownSecrets, "Possible exposure of secret in RUN", cmd, run))
                }
            }
        }
        return out
    }

    static func isSubPath(_ path: String, of dir: String) -> Bool {
        func norm(_ p: String) -> [Substring] { p.split(separator: "/").filter { $0 != "." } }
        let p = norm(path), d = norm(dir)
        return !d.isEmpty && p.count >= d.count && Array(p.prefix(d.count)) == d
    }

    static func maskable(_ pair: KeyValue) -> [String] {
        [pair.value, pair.rawValue].compactMap { $0 }.filter { $0.count >= 4 }
    }

    /// Name parts that mark a secret, and parts that say the variable only names or locates one.
    static let secretWords: Set<String> = ["PASSWORD", "PASSWD", "PASSPHRASE", "PWD_SECRET", "SECRET", "SECRETS", "TOKEN", "TOKENS",
                                           "APIKEY", "CREDENTIAL", "CREDENTIALS", "PRIVATEKEY", "AUTH"]
    static let notASecret: Set<String> = ["FILE", "PATH", "DIR", "URL", "NAME", "ID", "USER", "USERNAME", "FINGERPRINT", "GPG",
                                          "PGP", "PUBLIC", "PUB", "SERVER", "KEYSERVER", "KEYRING", "TYPE", "ALGORITHM", "LENGTH",
                                          "SIZE", "HOST", "PORT", "ENDPOINT", "REGION", "EXPIRY", "TTL", "URI", "VERSION", "ARN"]

    /// Upper-case name parts: `dbPassword` → DB, PASSWORD; `API-KEY` → API, KEY.
    static func nameParts(_ name: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var previousLower = false
        for ch in name {
            if ch == "_" || ch == "-" || ch == "." {
                if !current.isEmpty { parts.append(current.uppercased()) }
                current = ""
                previousLower = false
                continue
            }
            if ch.isUppercase, previousLower, !current.isEmpty { parts.append(current.uppercased()); current = "" }
            current.append(ch)
            previousLower = ch.isLowercase || ch.isNumber
        }
        if !current.isEmpty { parts.append(current.uppercased()) }
        return parts
    }

    static func looksLikeSecretName(_ name: String) -> Bool {
        let parts = nameParts(name)
        guard !parts.isEmpty, !parts.contains(where: notASecret.contains) else { return false }
        if parts.contains(where: secretWords.contains) { return true }
        // KEY alone is too common (GPG_KEY is a fingerprint); a key is secret next to these words.
        if let k = parts.lastIndex(of: "KEY"), k > 0 {
            return ["API", "ACCESS", "SECRET", "PRIVATE", "ENCRYPTION", "SIGNING", "MASTER", "CLIENT", "LICENSE", "AUTH", "SSH", "APP"].contains(parts[k - 1])
        }
        return false
    }

    static func secretNames(_ c: CheckContext) -> [Misconfiguration] {
        variablePairs(c.instructions).compactMap { i, pair in
            guard looksLikeSecretName(pair.key), !isKnownSecretName(pair.key) || i.stageIndex != c.finalStage.index else { return nil }
            let how = i.keyword == .env ? "is stored in the image configuration" : "is recorded in the image history when passed as --build-arg"
            return c.failure(RuleCatalog.secretName, "\(i.keyword.name) \(pair.key) looks like a secret and \(how)", i, masked: maskable(pair))
        }
    }

    static let tokenPrefixes = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "xoxa-", "AKIA", "ASIA",
                                "sk_live_", "rk_live_", "sk-", "AIza", "npm_", "hf_", "dop_v1_", "SG."]

    /// Shannon entropy in bits per character.
    static func entropy(_ s: String) -> Double {
        var counts: [Character: Int] = [:]
        for ch in s { counts[ch, default: 0] += 1 }
        let n = Double(s.count)
        return counts.values.reduce(0) { acc, k in
            let p = Double(k) / n
            return acc - p * log2(p)
        }
    }

    static func log2(_ x: Double) -> Double {
        // ln(x)/ln(2) via the standard library's exponent and significand (no Foundation).
        let e = Double(x.exponent)
        let m = x.significand
        // ln(m) for m in [1, 2) by the series of atanh: ln(m) = 2·atanh((m-1)/(m+1))
        let y = (m - 1) / (m + 1), y2 = y * y
        var term = y, sum = 0.0
        for k in stride(from: 1, through: 29, by: 2) { sum += term / Double(k); term *= y2 }
        return e + 2 * sum / 0.6931471805599453
    }

    static func looksLikeSecretValue(_ value: String) -> Bool {
        if tokenPrefixes.contains(where: { value.hasPrefix($0) }) && value.count >= 20
            && value.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }) { return true }
        guard value.count >= 24, !value.contains(" "), !value.contains("$"), !value.includes("://"), !value.hasPrefix("/") else { return false }
        guard value.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || "+/=_-".contains($0) }) else { return false }
        if value.allSatisfy(\.isHexDigit) { return false }
        let hasDigit = value.contains(where: \.isNumber), hasUpper = value.contains(where: \.isUppercase), hasLower = value.contains(where: \.isLowercase)
        return hasDigit && hasUpper && hasLower && entropy(value) >= 4.2
    }

    static func highEntropyValues(_ c: CheckContext) -> [Misconfiguration] {
        variablePairs(c.instructions).compactMap { i, pair in
            guard let raw = pair.rawValue, let v = pair.value, !raw.contains("$"), looksLikeSecretValue(v) else { return nil }
            return c.failure(RuleCatalog.highEntropyValue, "\(i.keyword.name) \(pair.key) holds a hard-coded value that looks like a credential (\(v.prefix(4))…)", i, masked: maskable(pair))
        }
    }
}
