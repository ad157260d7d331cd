#!/usr/bin/env bash
# The main job: sets up a fresh Debian 12 machine (as root), starts a standalone Hyperion host agent in the
# background and a demo VM (the tiny guest) on it, then prints the URL, credentials and how to watch its console.
#   bash tools/demo.sh          start (or reuse) the agent and the demo VM
#   bash tools/demo.sh stop     power the demo VM off and stop the agent
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data=${HYPERION_DEMO_DIR:-$root/.hyperion/demo}
port=${HYPERION_DEMO_PORT:-8443}
pidfile="$data/agent.pid"
envfile="$data/env"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

agent_running() { [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

if [[ ${1:-} == stop ]]; then
  if agent_running; then
    # shellcheck disable=SC1090
    source "$envfile"
    ./hyperion vm power-off demo >/dev/null 2>&1 || true
    kill "$(cat "$pidfile")"
    rm -f "$pidfile"
    echo "stopped the agent and powered off the demo VM (data kept in $data)"
  else
    echo "no demo agent running"
  fi
  exit 0
fi

bash tools/install-deps.sh
tiny=$(bash tools/tiny-guest/build.sh)
echo "tiny guest: $tiny" >&2
./hyperion --help >/dev/null   # builds the executable on first use

mkdir -p "$data"
chmod 700 "$data"
if [[ ! -f $data/demo-password ]]; then
  head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$data/demo-password"
  chmod 600 "$data/demo-password"
fi
password=$(cat "$data/demo-password")

if ! agent_running; then
  : > "$data/agent.log"
  HYPERION_ROOT_PASSWORD=$password nohup ./hyperion host serve --data "$data" --listen "127.0.0.1:$port" \
    >>"$data/agent.log" 2>&1 < /dev/null &
  echo $! > "$pidfile"
  for _ in $(seq 1 600); do
    grep -q "^hyperion host agent listening" "$data/agent.log" && break
    if ! agent_running; then
      echo "error: the agent exited; its log:" >&2
      cat "$data/agent.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  grep -q "^hyperion host agent listening" "$data/agent.log" || { echo "error: agent did not start in 60 s" >&2; exit 1; }
fi

fingerprint=$(cat "$data/certificate.sha256")
cat > "$envfile" <<ENV
export HYPERION_SERVER=https://127.0.0.1:$port
export HYPERION_USER=root
export HYPERION_PASSWORD=$password
export HYPERION_FINGERPRINT=$fingerprint
ENV
chmod 600 "$envfile"
# shellcheck disable=SC1090
source "$envfile"

if ! ./hyperion vm info demo >/dev/null 2>&1; then
  ./hyperion vm create demo --cpus 1 --memory 128 --image tiny --disk 64M --kernel-args "hyperion.write=hello-from-hyperion" >/dev/null
fi
./hyperion vm power-on demo >/dev/null
for _ in $(seq 1 300); do
  ./hyperion vm console demo --serial 2>/dev/null | grep -q "^tick 3" && break
  sleep 0.2
done

echo
./hyperion host info
echo
./hyperion vm list
echo
echo "serial console of 'demo' (last lines):"
./hyperion vm console demo --serial | tail -n 5
cat <<MSG

Hyperion host agent: https://127.0.0.1:$port   (user root, password in $data/demo-password)
Certificate fingerprint (SHA-256): $fingerprint

Use the CLI from this directory:
  source $envfile
  ./hyperion vm console demo --serial --follow     # watch the demo VM's serial console (Ctrl-C to leave)
  ./hyperion vm list | vm info demo | host info     # inventory
  ./hyperion vm shutdown demo                      # ACPI power button
  bash tools/demo.sh stop                          # power the VM off and stop the agent
The agent's log: $data/agent.log
MSG
