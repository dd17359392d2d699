extension BuildPredictions.Download {
    /// True when the URL is fetched without transport security (`http://` or `ftp://`) by a tool
    /// that downloads (`curl`, `wget`, `ADD`, package managers … — not `echo`), from a host that
    /// is not loopback: anyone on the path can replace what the build installs.
    public var isPlaintextFetch: Bool {
        guard scheme == "http" || scheme == "ftp" else { return false }
        guard tool == "ADD" || DockerfileChecker.fetchingCommands.contains(tool) || tool.hasPrefix("pip") else { return false }
        return !DockerfileChecker.isLoopback(url)
    }
}
