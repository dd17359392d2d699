#!/usr/bin/env bash
# Sets up what the live-sensor tests need on a fresh root machine (idempotent, cheap when done):
# podman settings this kind of VM needs (../shared/lab/NOTES.md §1), tracefs, the BPF object next to
# the test binary, and a Debian minbase image built with debootstrap from the apt mirror.
# Usage: scripts/container-lab.sh BUILD_DIR    (e.g. .build/debug)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${1:?usage: container-lab.sh BUILD_DIR}
IMAGE=${VIGIL_TEST_IMAGE:-localhost/vigil-test/bookworm:minbase}
WORK=${VIGIL_LAB_DIR:-/var/tmp/vigil-lab}

if [ "$(id -u)" != 0 ]; then echo "container-lab: not root, the live sensor tests will skip"; exit 0; fi
bash "$ROOT/scripts/build-bpf.sh" "$BUILD_DIR"

# podman as root on this VM: ulimits it may set, runc (crun refuses hybrid cgroups), no systemd
CONF=/etc/containers/containers.conf
if ! grep -q '^runtime = "runc"' "$CONF" 2>/dev/null; then
    mkdir -p /etc/containers
    [ -f "$CONF" ] && cp "$CONF" "$CONF.before-vigil"
    cat > "$CONF" <<'CONF'
[containers]
default_ulimits = ["nofile=16384:16384", "nproc=16384:16384"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
CONF
    echo "container-lab: wrote $CONF"
fi
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing

if ! podman image exists "$IMAGE"; then
    MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    [ -n "$MIRROR" ] || MIRROR=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
    [ -n "$MIRROR" ] || { echo "container-lab: no Debian mirror in the apt sources" >&2; exit 1; }
    rm -rf "$WORK/rootfs"; mkdir -p "$WORK"
    echo "container-lab: debootstrap bookworm minbase (30-50 s)"
    debootstrap --variant=minbase bookworm "$WORK/rootfs" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
        || { tail -5 "$WORK/debootstrap.log" >&2; exit 1; }
    tar -C "$WORK/rootfs" --numeric-owner -c . | podman import --change 'CMD ["/bin/bash"]' - "$IMAGE" >/dev/null
    echo "container-lab: built $IMAGE"
fi
# the unpacked root filesystem stays for the unmanaged-software precision test (everything in it
# is owned by dpkg); recreated from the image when an earlier run removed it
if [ ! -f "$WORK/rootfs/var/lib/dpkg/status" ]; then
    rm -rf "$WORK/rootfs"; mkdir -p "$WORK/rootfs"
    ctr=$(podman create "$IMAGE" true)
    podman export "$ctr" | tar -C "$WORK/rootfs" --numeric-owner -x
    podman rm "$ctr" >/dev/null
    echo "container-lab: unpacked $IMAGE into $WORK/rootfs"
fi
