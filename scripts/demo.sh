#!/usr/bin/env bash
# The quickstart demo: builds llm-monitor, starts the simulator with the demo
# scenario, checks the bundled demo monitors once, then runs them on their
# schedule for DEMO_SECONDS (default 25) and shows what /metrics exports,
# the OpenTelemetry GenAI histograms included. DEMO_SKIP_BUILD=1 uses the
# dist/ that is there (the tests build it first). Everything listens on
# 127.0.0.1 only.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${DEMO_SECONDS:-25}"
sim_port=18080
metrics_port="${DEMO_METRICS_PORT:-9464}"
cli=(node dist/cli/main.js)

[[ -d node_modules ]] || npm ci
[[ "${DEMO_SKIP_BUILD:-}" == 1 ]] || npm run --silent build

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

if curl -s -o /dev/null "http://127.0.0.1:$sim_port/"; then
  echo "error: port $sim_port on 127.0.0.1 is in use; the demo's monitors expect the simulator there. Stop what listens on it and run the demo again." >&2
  exit 1
fi
"${cli[@]}" simulate --host 127.0.0.1 --port "$sim_port" --scenario examples/demo/simulator-scenario.yaml &
sim_pid=$!
pids+=("$sim_pid")
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$sim_port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
if ! kill -0 "$sim_pid" 2>/dev/null; then
  echo "error: the simulator did not start; see its message above" >&2
  exit 1
fi

echo
echo "== llm-monitor check -f examples/demo (one run of every probe; exit code 0 = thresholds met, 1 = not met)"
set +e
"${cli[@]}" check -f examples/demo
echo "exit code: $?"
set -e

echo
echo "== llm-monitor run -f examples/demo --gen-ai-metrics for ${seconds}s, metrics on http://127.0.0.1:$metrics_port/metrics"
"${cli[@]}" run -f examples/demo --gen-ai-metrics --metrics-address 127.0.0.1 --metrics-port "$metrics_port" &
pids+=($!)
sleep "$seconds"

echo
echo "== a few series from http://127.0.0.1:$metrics_port/metrics"
metrics="$(curl -fsS "http://127.0.0.1:$metrics_port/metrics")"
grep -E '^llm_monitor_(probe_success|target_pass_ratio|probe_errors_total|runs_total|tokens_total|probe_duration_seconds_count|probe_time_to_first_token_seconds_count)' <<<"$metrics" | head -n 40
grep -E '^gen_ai_client_operation_duration_seconds_count' <<<"$metrics" | head -n 6
echo
echo "Demo finished. Run your own monitors with: node dist/cli/main.js run -f YOUR-FOLDER (see README.md)."
