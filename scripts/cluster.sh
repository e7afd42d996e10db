#!/usr/bin/env bash
# Starts, stops or reports a local Kubernetes control plane (etcd,
# kube-apiserver, kube-controller-manager on 127.0.0.1) for use with kubectl:
# the same one the e2e tests start, from test/e2e/setup/control-plane.ts.
#
#   scripts/cluster.sh up|down|status
#
# Node.js 20 cannot run TypeScript and no TypeScript runner is installed, so
# "up" compiles the launcher with the project's tsc into .cache/kube/launcher
# and runs it in the background with node. Its pid, log, kubeconfig and
# cluster.json live in .cache/kube/. The environment variables of the e2e
# setup apply (KUBEBUILDER_ASSETS, KUBEBUILDER_CONTROLPLANE_START_TIMEOUT,
# KEEP_CONTROL_PLANE).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="$root/.cache/kube"
pid_file="$state/cluster.pid"
log_file="$state/cluster.log"
launcher_dir="$state/launcher"
launcher="$launcher_dir/test/e2e/setup/cluster-main.js"
kubectl_bin="${KUBEBUILDER_ASSETS:-$state/bin}/kubectl"

running_pid() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid="$(<"$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    echo "$pid"
  else
    return 1
  fi
}

print_access() {
  echo "kubeconfig: $state/kubeconfig"
  echo "server:     $(sed -n 's/.*"server": "\(.*\)".*/\1/p' "$state/cluster.json")"
  echo "kubectl:    $kubectl_bin"
  echo
  echo "export KUBECONFIG=$state/kubeconfig"
}

compile_launcher() {
  # Compiling takes several seconds, so it is skipped when no source changed.
  if [[ -f "$launcher" ]] &&
    [[ -z "$(find "$root/test/e2e/setup" "$root/src/util" -name '*.ts' -newer "$launcher" -print -quit)" ]]; then
    return 0
  fi
  # tsc ignores tsconfig.json when given files, so the options are repeated here.
  "$root/node_modules/.bin/tsc" --outDir "$launcher_dir" --rootDir "$root" \
    --module NodeNext --moduleResolution NodeNext --target ES2022 --lib ES2023 \
    --types node --strict --noUncheckedIndexedAccess --skipLibCheck \
    "$root/test/e2e/setup/cluster-main.ts"
}

up() {
  if pid="$(running_pid)"; then
    echo "control plane already running (pid $pid)"
    print_access
    return 0
  fi
  mkdir -p "$state"
  rm -f "$state/cluster.json" "$pid_file"
  compile_launcher

  # A first run builds the binaries, which takes minutes. The start timeout
  # of each process applies after that.
  nohup node "$launcher" "$state" >"$log_file" 2>&1 &
  local pid=$!
  echo "$pid" >"$pid_file"
  echo "starting the control plane (pid $pid, log $log_file)"
  while [[ ! -f "$state/cluster.json" ]]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "error: the control plane failed to start. Last lines of $log_file:" >&2
      tail -n 40 "$log_file" >&2
      rm -f "$pid_file"
      return 1
    fi
    sleep 0.5
  done
  tail -n 1 "$log_file"
  print_access
}

down() {
  local pid
  if ! pid="$(running_pid)"; then
    echo "control plane not running"
    # Left behind when the launcher was killed. Its watchdog removed the rest.
    rm -f "$pid_file" "$state/cluster.json" "$state/kubeconfig"
    return 0
  fi
  kill -TERM "$pid"
  # Each process gets KUBEBUILDER_CONTROLPLANE_STOP_TIMEOUT (20 s) before SIGKILL.
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "error: control plane (pid $pid) still running after 60 s; see $log_file" >&2
    return 1
  fi
  rm -f "$pid_file"
  echo "control plane stopped"
}

status() {
  local pid
  if pid="$(running_pid)" && [[ -f "$state/cluster.json" ]]; then
    echo "control plane running (pid $pid)"
    print_access
  elif pid="$(running_pid)"; then
    echo "control plane starting (pid $pid, log $log_file)"
  else
    echo "control plane not running"
    return 3
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
