#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager, kubectl and etcd from the Go
# module in tools/kube into a git-ignored folder, for the e2e tests.
#
# The folder is $KUBEBUILDER_ASSETS when set (then nothing is built if the
# binaries are there already), else .cache/kube/bin in the repository.
# Existing binaries are reused; delete the folder to rebuild.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${KUBEBUILDER_ASSETS:-$root/.cache/kube/bin}"
version="v1.35.4"
binaries=(kube-apiserver kube-controller-manager kubectl etcd)

missing=()
for name in "${binaries[@]}"; do
  [[ -x "$out/$name" ]] || missing+=("$name")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "control plane binaries present in $out"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "error: Go is not installed, so the test control plane cannot be built." >&2
  echo "Install Go 1.25 or later, or set KUBEBUILDER_ASSETS to a folder holding" >&2
  echo "kube-apiserver, kube-controller-manager, kubectl and etcd." >&2
  exit 1
fi

mkdir -p "$out"
cd "$root/tools/kube"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
# Without this, /version reports v0.0.0-master and kubectl warns about skew.
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$version -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=35"

start=$(date +%s)
for name in "${missing[@]}"; do
  echo "building $name $version into $out"
  if [[ "$name" == etcd ]]; then
    go build -trimpath -ldflags "-s -w" -o "$out/etcd" ./etcd
  else
    go build -trimpath -ldflags "$ldflags" -o "$out/$name" "k8s.io/kubernetes/cmd/$name"
  fi
done
echo "built ${missing[*]} in $(( $(date +%s) - start ))s"
