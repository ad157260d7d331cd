#!/usr/bin/env bash
# Reproducible builder for the hyperion "tiny guest" (see README.md).
#
# Output: ${HYPERION_CACHE:-$HOME/.cache/hyperion}/tiny-guest/<key>/
#           vmlinux, initramfs.cpio.gz, manifest.json
#         ${HYPERION_CACHE:-$HOME/.cache/hyperion}/tiny-guest/current -> <key>
# The last line of stdout is the output directory; everything else -> stderr.
set -euo pipefail

# Recommended base kernel command line (tuned for fast boot under TCG, q35).
BASE_CMDLINE="console=ttyS0 quiet panic=-1 8250.nr_uarts=1 no_timer_check tsc=reliable noreplace-smp cryptomgr.notests rcupdate.rcu_expedited=1 i8042.noaux i8042.nomux i8042.nopnp i8042.dumbkbd rodata=off"

# Root modules; their dependencies are resolved from modules.dep.
ROOT_MODULES="virtio_pci virtio_blk virtio_net virtio_console button evdev isofs"

SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_ROOT="${HYPERION_CACHE:-$HOME/.cache/hyperion}/tiny-guest"

die() { echo "tiny-guest: $*" >&2; exit 1; }
log() { echo "tiny-guest: $*" >&2; }

# ---------------------------------------------------------------- prerequisites
if [ -n "${HYPERION_TINY_KERNEL_VERSION:-}" ]; then
    KVER="$HYPERION_TINY_KERNEL_VERSION"
    [ -f "/boot/vmlinuz-$KVER" ] || die "kernel /boot/vmlinuz-$KVER not found (install: apt-get install linux-image-$KVER)"
else
    KVER=""
    for f in /boot/vmlinuz-*; do
        [ -f "$f" ] || continue
        v="${f#/boot/vmlinuz-}"
        [ -d "/lib/modules/$v" ] || continue
        KVER="$(printf '%s\n%s\n' "$KVER" "$v" | sed '/^$/d' | sort -V | tail -n 1)"
    done
    [ -n "$KVER" ] || die "no kernel found in /boot (install: apt-get install linux-image-amd64)"
fi
VMLINUZ="/boot/vmlinuz-$KVER"
MODDIR="/lib/modules/$KVER"
[ -r "$VMLINUZ" ] || die "$VMLINUZ is not readable (run as root or: chmod a+r $VMLINUZ)"
[ -f "$MODDIR/modules.dep" ] || die "$MODDIR/modules.dep missing (install: apt-get install linux-image-$KVER)"

BUSYBOX=""
for b in /usr/bin/busybox /bin/busybox "$(command -v busybox 2>/dev/null || true)"; do
    if [ -n "$b" ] && [ -x "$b" ]; then BUSYBOX="$b"; break; fi
done
[ -n "$BUSYBOX" ] || die "busybox not found (install: apt-get install busybox-static)"
BB_VERSION="$("$BUSYBOX" 2>/dev/null | head -n 1 || true)"
case "$BB_VERSION" in BusyBox*) ;; *) die "$BUSYBOX does not look like busybox (install: apt-get install busybox-static)";; esac
if command -v readelf >/dev/null 2>&1 && readelf -l "$BUSYBOX" 2>/dev/null | grep -q INTERP; then
    die "$BUSYBOX is dynamically linked (install: apt-get install busybox-static)"
fi

command -v gcc >/dev/null 2>&1 || die "gcc not found (install: apt-get install gcc libc6-dev)"
for t in cpio gzip xz sha256sum; do
    command -v "$t" >/dev/null 2>&1 || die "$t not found (install: apt-get install $(case $t in sha256sum) echo coreutils;; xz) echo xz-utils;; *) echo "$t";; esac))"
done

# ---------------------------------------------------------------- cache key
KEY="$(
    {
        for f in "$SRC_DIR"/*; do
            [ -f "$f" ] || continue
            printf '%s\0' "${f##*/}"
            sha256sum < "$f"
        done
        printf 'kernel=%s size=%s\n' "$KVER" "$(stat -c %s "$VMLINUZ")"
        printf 'busybox=%s\n' "$BB_VERSION"
    } | sha256sum | cut -c1-12
)"
OUT="$CACHE_ROOT/$KEY"

update_current() {
    local tmp="$CACHE_ROOT/.current.$$"
    ln -sfn "$KEY" "$tmp"
    mv -Tf "$tmp" "$CACHE_ROOT/current"
}

if [ -f "$OUT/manifest.json" ] && [ -f "$OUT/vmlinux" ] && [ -f "$OUT/initramfs.cpio.gz" ]; then
    update_current
    echo "$OUT"
    exit 0
fi

# ---------------------------------------------------------------- build
mkdir -p "$CACHE_ROOT"
# leftovers of builds killed with SIGKILL (never used: only renamed dirs count)
find "$CACHE_ROOT" -maxdepth 1 -name '.build.*' -mmin +60 -exec rm -rf {} + 2>/dev/null || true
WORK="$(mktemp -d "$CACHE_ROOT/.build.$KEY.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM HUP
STAGE="$WORK/stage"     # becomes the output dir
ROOT="$WORK/root"       # initramfs tree
mkdir -p "$STAGE" "$ROOT"

log "building $KEY (kernel $KVER, ${BB_VERSION%% multi-call*})"

# --- vmlinux: uncompressed ELF from the bzImage (like scripts/extract-vmlinux)
extract_vmlinux() {
    local img="$1" out="$2" magic decomp off
    for spec in "xz:fd377a585a00" "gzip:1f8b0800" "zstd:28b52ffd"; do
        decomp="${spec%%:*}"
        magic="${spec#*:}"
        command -v "$decomp" >/dev/null 2>&1 || continue
        # byte offsets of the magic (hex dump, one byte per line -> grep)
        for off in $(LC_ALL=C grep -obUaP "$(echo "$magic" | sed 's/../\\x&/g')" "$img" | cut -d: -f1); do
            case "$decomp" in
                xz)   tail -c "+$((off + 1))" "$img" | xz -dc --single-stream > "$out" 2>/dev/null || true ;;
                gzip) tail -c "+$((off + 1))" "$img" | gzip -dc > "$out" 2>/dev/null || true ;;
                zstd) tail -c "+$((off + 1))" "$img" | zstd -dcq > "$out" 2>/dev/null || true ;;
            esac
            if [ "$(head -c 4 "$out" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = "7f454c46" ]; then
                return 0
            fi
        done
    done
    return 1
}
extract_vmlinux "$VMLINUZ" "$STAGE/vmlinux" || die "could not extract an ELF vmlinux from $VMLINUZ (install: apt-get install xz-utils)"

# --- initramfs tree
mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,var/log,var/run,etc/acpi/PWRF,lib/modules}
cp "$BUSYBOX" "$ROOT/bin/busybox"
"$BUSYBOX" --list-full | while read -r applet; do
    [ "$applet" = "bin/busybox" ] && continue
    dir="${applet%/*}"
    [ "$dir" = "$applet" ] && dir="bin" && applet="bin/$applet"
    mkdir -p "$ROOT/$dir"
    # relative symlink to /bin/busybox
    rel="$(echo "$dir" | sed 's#[^/]*#..#g')/bin/busybox"
    [ -e "$ROOT/$applet" ] || ln -s "$rel" "$ROOT/$applet"
done
[ -e "$ROOT/bin/sh" ] || die "busybox has no sh applet (install: apt-get install busybox-static)"

install -m 0755 "$SRC_DIR/init" "$ROOT/init"
install -m 0755 "$SRC_DIR/acpi-power" "$ROOT/etc/acpi/PWRF/00000080"

# --- guest program
echo 'int main(void){return 0;}' > "$WORK/t.c"
gcc -static -o "$WORK/t" "$WORK/t.c" 2>/dev/null || die "gcc cannot link static binaries (install: apt-get install libc6-dev)"
gcc -static -O2 -pthread -Wall -o "$ROOT/bin/hyperion-guest" "$SRC_DIR/guest.c" >&2
strip "$ROOT/bin/hyperion-guest" 2>/dev/null || true

# --- kernel modules in dependency order
declare -A SEEN=()
LOAD_ORDER=()
mod_path() { # name -> path relative to MODDIR (from modules.dep), empty if none
    local n="${1//-/_}"
    awk -F: -v n="$n" '{ p=$1; b=p; sub(/.*\//, "", b); sub(/\.ko(\.[a-z]+)?$/, "", b); gsub(/-/, "_", b); if (b == n) { print p; exit } }' "$MODDIR/modules.dep"
}
mod_builtin() {
    local n="${1//-/_}"
    [ -f "$MODDIR/modules.builtin" ] && sed 's#.*/##; s#\.ko$##; s#-#_#g' "$MODDIR/modules.builtin" | grep -qx "$n"
}
add_module() {
    local name="${1//-/_}" path deps d
    [ -n "${SEEN[$name]:-}" ] && return 0
    SEEN[$name]=1
    path="$(mod_path "$name")"
    if [ -z "$path" ]; then
        mod_builtin "$name" && return 0
        die "kernel module $name not found in $MODDIR (install: apt-get install linux-image-$KVER)"
    fi
    deps="$(awk -F: -v p="$path" '$1 == p { print $2; exit }' "$MODDIR/modules.dep")"
    for d in $deps; do
        d="${d##*/}"; d="${d%%.ko*}"
        add_module "$d"
    done
    case "$path" in
        *.ko)     cp "$MODDIR/$path" "$ROOT/lib/modules/$name.ko" ;;
        *.ko.xz)  xz -dc "$MODDIR/$path" > "$ROOT/lib/modules/$name.ko" ;;
        *.ko.zst) command -v zstd >/dev/null || die "zstd not found (install: apt-get install zstd)"
                  zstd -dcq "$MODDIR/$path" > "$ROOT/lib/modules/$name.ko" ;;
        *.ko.gz)  gzip -dc "$MODDIR/$path" > "$ROOT/lib/modules/$name.ko" ;;
        *) die "unsupported module file $path" ;;
    esac
    LOAD_ORDER+=("$name")
}
for m in $ROOT_MODULES; do add_module "$m"; done
printf '%s\n' "${LOAD_ORDER[@]}" > "$ROOT/lib/modules/load.list"
log "modules: ${LOAD_ORDER[*]}"

# --- cpio (deterministic: sorted names, uid/gid 0, mtime 0) + /dev/console node
find "$ROOT" -exec touch -h -d @0 {} +
cpio_console() { # newc entries: dev/console (char 5:1, 0600) + trailer
    local name="dev/console" mode=$((0020600))
    printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
        99999 "$mode" 0 0 1 0 0 0 0 5 1 $(( ${#name} + 1 )) 0
    printf '%s\0' "$name"; printf '\0\0'            # 110+12=122 -> pad to 124
    printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
        0 0 0 0 1 0 0 0 0 0 0 11 0
    printf 'TRAILER!!!\0'; printf '\0\0\0'          # 110+11=121 -> pad to 124
}
(
    cd "$ROOT"
    find . -mindepth 1 | sed 's#^\./##' | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet
    cpio_console
) | gzip -n -9 > "$STAGE/initramfs.cpio.gz"

# --- manifest (written last)
cat > "$STAGE/manifest.json" <<EOF
{"kernelVersion":"$KVER","kernel":"vmlinux","initrd":"initramfs.cpio.gz","cmdline":"$BASE_CMDLINE","key":"$KEY"}
EOF

# --- atomic publish
if ! mv -T "$STAGE" "$OUT" 2>/dev/null; then
    # someone else published the same key concurrently (or a stale dir exists)
    if [ -f "$OUT/manifest.json" ]; then
        log "another build published $KEY first; using it"
    else
        rm -rf "$OUT.stale.$$"
        mv -T "$OUT" "$OUT.stale.$$" && rm -rf "$OUT.stale.$$"
        mv -T "$STAGE" "$OUT"
    fi
fi
update_current
log "built $OUT ($(du -sh "$OUT" | cut -f1))"
echo "$OUT"
