#!/usr/bin/env bash
# Installs what Hyperion needs on a Debian 12 host (as root): QEMU, qemu-img, the tiny guest's ingredients.
# Idempotent and quiet when everything is already there.
set -euo pipefail

# chromium: the web client's browser tests (Playwright drives /usr/bin/chromium).
# genisoimage: cloud-init NoCloud seed images for guest customization (isoinfo, from the same package, in tests).
packages=(qemu-system-x86 qemu-utils busybox-static linux-image-amd64 cpio xz-utils gcc libc6-dev iproute2 iputils-ping procps socat postgresql chromium genisoimage)
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

if ! command -v dotnet >/dev/null; then
  echo "error: the .NET 10 SDK is required (dotnet not on PATH)" >&2
  exit 1
fi
