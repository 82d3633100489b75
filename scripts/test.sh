#!/usr/bin/env bash
# The test command (`npm test`): makes sure the real engines are there, type-checks, runs the suite.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v amtool >/dev/null 2>&1 || need+=(prometheus-alertmanager)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian packages for the real-engine tests: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "error: the tests need promtool and amtool. Install them with:" >&2
    echo "  sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
fi
# Debian starts the services on install; the tests run their own on free ports.
if command -v systemctl >/dev/null 2>&1; then systemctl stop prometheus prometheus-alertmanager >/dev/null 2>&1 || true; fi

command -v terraform >/dev/null 2>&1 || echo "SKIPPED terraform validate/plan: terraform is not on the PATH (install Terraform 1.11.x); the plan tests will be skipped"

echo "== tsc --noEmit"
npx --no-install tsc --noEmit
echo "== jest"
results="$(mktemp)"
status=0
CHECKPOINT_DISABLE=1 npx --no-install jest --json --outputFile="$results" "$@" || status=$?
# One plain closing line for CI and humans: counts straight from jest's own results.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  if (r.numTotalTests === 0) { console.error("no test ran"); process.exit(1); }
' "$results" || status=1
rm -f "$results"
exit "$status"
