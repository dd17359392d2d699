/// Container ids from cgroup paths, as Falco's container plugin derives them (podman `libpod-<id>`,
/// docker `/docker/<id>` and `docker-<id>.scope`, cri-o `crio-<id>`, containerd `cri-containerd-<id>`
/// and namespaced `/NAMESPACE/NAME`, nerdctl, kubepods cgroupfs). The 32 vectors of Falco's matcher
/// tests run against this in SensorTests.
public enum CgroupContainerID {
    /// The 12-character container id for a cgroup path, or nil for host cgroups.
    public static func containerID(cgroupPath path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let leaf = parts.last else { return nil }
        // runtime-prefixed 64-hex ids, with or without a systemd .scope suffix
        var name = Substring(leaf)
        if name.hasSuffix(".scope") { name = name.dropLast(6) }
        for prefix in ["libpod-payload-", "libpod-", "docker-", "crio-", "cri-containerd-", "nerdctl-"] where name.hasPrefix(prefix) {
            return fullID(name.dropFirst(prefix.count)).map(short)
        }
        // `…slice:cri-containerd:<id>` (containerd with the systemd driver, unknown parent layout)
        let marker = ":cri-containerd:"
        if let cut = leaf.utf8.indices.first(where: { leaf.utf8[$0...].starts(with: marker.utf8) }) {
            return fullID(leaf[leaf.utf8.index(cut, offsetBy: marker.utf8.count)...]).map(short)
        }
        // a bare 64-hex leaf: /docker/<id>, /kubepods/…/pod<uid>/<id>
        if let id = fullID(Substring(leaf)) { return short(id) }
        // containerd's namespaced cgroupfs layout: exactly /NAMESPACE/NAME, NAME not a systemd unit
        if parts.count == 2 {
            let n = parts[1]
            if n.hasSuffix(".service") || n.hasSuffix(".slice") || n.hasSuffix(".scope") { return nil }
            if parts[0].hasSuffix(".slice") || parts[0] == "libpod_parent" { return nil }  // podman's conmon, systemd units
            return String(n.prefix(12))
        }
        return nil
    }

    /// Exactly 64 lower-case hex digits.
    private static func fullID(_ s: Substring) -> Substring? {
        guard s.utf8.count == 64, s.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else { return nil }
        return s
    }

    private static func short(_ s: Substring) -> String { String(s.prefix(12)) }
}
