#!/usr/bin/env bash
# Installs what Hyperion needs on a Debian 12 host (as root): QEMU, qemu-img, the tiny guest's ingredients.
# Idempotent and quiet when everything is already there.
set -euo pipefail

# chromium: the web client's browser tests (Playwright drives /usr/bin/chromium).
# genisoimage: cloud-init NoCloud seed images for guest customization (isoinfo, from the same package, in tests).
# etcd-server: /usr/bin/etcd, the lab's HA membership store (one member per lab host); etcd-client: etcdctl, for debugging.
packages=(qemu-system-x86 qemu-utils busybox-static linux-image-amd64 cpio xz-utils gcc libc6-dev iproute2 iputils-ping procps socat postgresql chromium genisoimage etcd-server etcd-client)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm build the web client's browser modules (noVNC, xterm.js, Chart.js); keep an existing install
# (it may come from elsewhere than Debian, and Debian's npm would conflict with it).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "error: missing packages ${missing[*]}; run as root or: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# Debian's etcd-server enables and starts an `etcd` service on 127.0.0.1:2379 when installed; the lab runs its own
# members (in its namespaces, on its own addresses), and a stray single-node cluster on the machine only confuses
# debugging. Stop it (when systemd runs) and mask it (works offline too), so neither a boot nor a package upgrade
# brings it back. No systemctl (containers, CI): there is no service to stop.
if command -v systemctl >/dev/null && [[ $(id -u) -eq 0 ]] && [[ -e /lib/systemd/system/etcd.service || -e /usr/lib/systemd/system/etcd.service ]]; then
  if [[ $(systemctl is-enabled etcd.service 2>/dev/null || true) != masked ]]; then
    echo "stopping and masking etcd.service of the etcd-server package (the lab runs its own etcd members)" >&2
    if [[ -d /run/systemd/system ]]; then
      systemctl stop etcd.service >&2 || true
    fi
    systemctl disable etcd.service >/dev/null 2>&1 || true
    systemctl mask etcd.service >&2
  fi
fi

if ! command -v dotnet >/dev/null; then
  echo "error: the .NET 10 SDK is required (dotnet not on PATH)" >&2
  exit 1
fi
