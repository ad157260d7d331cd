#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root) and runs every test. Ends with "N passed, N failed".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

bash tools/install-deps.sh
bash tools/tiny-guest/build.sh >/dev/null

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build Hyperion.slnx -c Release --nologo -v quiet -clp:ErrorsOnly

set +e
dotnet test Hyperion.slnx -c Release --no-build --nologo \
  --results-directory "$results" --logger "trx" --logger "console;verbosity=minimal" 2>&1 | tee "$results/console.log"
status=${PIPESTATUS[0]}
set -e

# Sum the per-project summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12").
read -r passed failed skipped < <(grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$results/console.log" |
  awk -F'[:,]' '{f+=$2; p+=$4; s+=$6} END {printf "%d %d %d\n", p, f, s}')
if [[ $status -ne 0 && $failed -eq 0 ]]; then
  failed=1 # a test host crashed or the build broke: never report a clean run
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
