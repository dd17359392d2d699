#!/usr/bin/env bash
# Builds the kernel sensor object (bpf/vigil.bpf.c) against the running kernel's BTF.
# Usage: scripts/build-bpf.sh OUTPUT_DIR   (writes OUTPUT_DIR/vigil.bpf.o; vmlinux.h stays in .build/bpf)
# vigil looks for vigil.bpf.o next to its executable, so the set-up and test scripts pass the build dir.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:?usage: build-bpf.sh OUTPUT_DIR}
WORK="$ROOT/.build/bpf"
mkdir -p "$WORK" "$OUT"
[ -r /sys/kernel/btf/vmlinux ] || { echo "build-bpf: /sys/kernel/btf/vmlinux is missing: this kernel has no BTF, the sensor cannot be built" >&2; exit 1; }
CLANG=${CLANG:-$(command -v clang || true)}
[ -n "$CLANG" ] || CLANG=/opt/swift/usr/bin/clang   # the Swift toolchain's clang has the bpf target
# vmlinux.h is generated from this kernel, never committed; regenerate when the kernel changes
if [ ! -s "$WORK/vmlinux.h" ] || [ "$(cat "$WORK/vmlinux.kernel" 2>/dev/null)" != "$(uname -r)" ]; then
    bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$WORK/vmlinux.h.tmp"
    mv "$WORK/vmlinux.h.tmp" "$WORK/vmlinux.h"; uname -r > "$WORK/vmlinux.kernel"
fi
ARCH=$(uname -m); case "$ARCH" in x86_64) TARGET_ARCH=x86;; aarch64) TARGET_ARCH=arm64;; *) TARGET_ARCH=$ARCH;; esac
"$CLANG" -g -O2 -target bpf -D__TARGET_ARCH_"$TARGET_ARCH" \
    -Wall -Wno-unknown-warning-option -Wno-default-const-init-var-unsafe \
    -I"$WORK" -I"$ROOT/Sources/CVigilBPF/include" \
    -c "$ROOT/bpf/vigil.bpf.c" -o "$OUT/vigil.bpf.o.tmp"
mv "$OUT/vigil.bpf.o.tmp" "$OUT/vigil.bpf.o"
echo "build-bpf: $OUT/vigil.bpf.o"
