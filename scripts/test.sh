#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what the tests need (npm
# packages, the Kubernetes control plane built from Go modules, helm,
# Prometheus and Alertmanager), then lint,
# type check, build, unit tests and end-to-end tests. Ends with one line
# "N passed, N failed".
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/.cache/test-results"
mkdir -p "$results"

[[ -d node_modules ]] || npm ci

echo "== lint"
npx eslint .
echo "== type check"
npx tsc -p tsconfig.json --noEmit
echo "== build"
npm run --silent build
echo "== generated files are current"
node scripts/check-generated.mjs

if [[ "${USE_EXISTING_CLUSTER:-}" != "true" ]]; then
  echo "== control plane binaries"
  bash scripts/build-control-plane.sh
fi
echo "== helm"
bash scripts/install-helm.sh
echo "== prometheus, promtool and alertmanager"
bash scripts/install-prometheus.sh

# The projects run one after the other: end-to-end tests measure handovers
# and schedules, which unit tests running beside them on a small machine
# would slow down.
status=0
for project in unit e2e; do
  echo "== tests: $project"
  npx vitest run --project "$project" --reporter=default --reporter=json --outputFile.json="$results/vitest-$project.json" || status=$?
done
node scripts/summarize-tests.mjs "$results/vitest-unit.json" "$results/vitest-e2e.json" || status=1
exit "$status"
