#!/usr/bin/env bash
# Boot the tiny guest in this terminal under TCG (raw-QEMU baseline).
#   tools/tiny-guest/run.sh [extra kernel args...]
# Environment: HYPERION_TINY_MEM (MiB, default 128), HYPERION_TINY_QEMU_ARGS
# (extra QEMU args, word-split), HYPERION_CACHE (see build.sh).
# Quit with Ctrl-A X.
set -euo pipefail
DIR="$("$(dirname "${BASH_SOURCE[0]}")/build.sh" | tail -n 1)"
CMDLINE="$(sed -n 's/.*"cmdline":"\([^"]*\)".*/\1/p' "$DIR/manifest.json")"
# shellcheck disable=SC2086
exec qemu-system-x86_64 -machine q35 -accel tcg -cpu max -m "${HYPERION_TINY_MEM:-128}" \
    -nodefaults -nographic -serial stdio \
    -kernel "$DIR/vmlinux" -initrd "$DIR/initramfs.cpio.gz" \
    -append "$CMDLINE${*:+ $*}" ${HYPERION_TINY_QEMU_ARGS:-}
