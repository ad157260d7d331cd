#!/usr/bin/env bash
# The main job: sets up a fresh Debian 12 machine (as root), builds the tiny guest and the `hyperion` executable, then
# starts the Hyperion lab with `hyperion lab up --hosts 2`: a Center and two host agents on this machine, each host in
# its own network namespace, both mounting one shared datastore, added to a cluster, and a demo VM (the tiny guest)
# running. Prints the Center's URL, the credentials and how to use the CLI (DIR/lab.env).
#   bash tools/demo.sh          start the lab (or show it, when it already runs)
#   bash tools/demo.sh stop     hyperion lab down: stop the VMs, the Center and the agents, remove namespaces, bridge and files
# Settings: HYPERION_DEMO_HOSTS (default 2), HYPERION_DEMO_DIR (default: the lab's own default directory).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
hosts=${HYPERION_DEMO_HOSTS:-2}
dir_args=()
if [[ -n ${HYPERION_DEMO_DIR:-} ]]; then dir_args=(--dir "$HYPERION_DEMO_DIR"); fi
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

if [[ ${1:-} == stop ]]; then
  ./hyperion lab down "${dir_args[@]}"
  exit
fi

bash tools/install-deps.sh
tiny=$(bash tools/tiny-guest/build.sh)
echo "tiny guest: $tiny" >&2
./hyperion --help >/dev/null   # builds the executable on first use

# A lab that already runs is shown, not rebuilt; one left broken (a crash, a reboot) is removed and made again.
if ./hyperion lab status "${dir_args[@]}" >/dev/null 2>&1; then
  ./hyperion lab status "${dir_args[@]}"
  echo
  echo "The lab already runs. Stop it with: bash tools/demo.sh stop"
  exit 0
fi
./hyperion lab down "${dir_args[@]}" >/dev/null
./hyperion lab up --hosts "$hosts" --tiny-guest "$tiny" "${dir_args[@]}"
