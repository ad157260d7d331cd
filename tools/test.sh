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

if ! dotnet build Hyperion.slnx -c Release --nologo -v quiet -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# One `dotnet test` per test project, each with its own TRX report, so counts never depend on interleaved output.
status=0
for project in tests/*/; do
  name=$(basename "$project")
  [[ -f $project/$name.csproj ]] || continue
  grep -q '<IsTestProject>false</IsTestProject>' "$project/$name.csproj" && continue
  set +e
  dotnet test "$project/$name.csproj" -c Release --no-build --nologo \
    --results-directory "$results" --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" 2>&1 |
    tee -a "$results/console.log"
  rc=${PIPESTATUS[0]}
  set -e
  if [[ $rc -ne 0 ]]; then status=$rc; fi
  if [[ ! -f $results/$name.trx ]]; then
    echo "error: $name produced no test report" >&2
    status=1
  fi
done

# Sum the counters of every project's TRX report.
counters=$(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' || true)
sum() { grep -o " $1=\"[0-9]*\"" <<<"$counters" | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'; }
passed=$(sum passed)
failed=$(( $(sum failed) + $(sum error) + $(sum timeout) + $(sum aborted) ))
skipped=$(sum notExecuted)
if [[ $status -ne 0 && $failed -eq 0 ]]; then
  failed=1 # a test host crashed or the build broke: never report a clean run
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
