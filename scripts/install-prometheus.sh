#!/usr/bin/env bash
# Installs Prometheus, promtool and Alertmanager from Debian's packages for
# the alerting tests, unless they are on PATH already. The tests start their
# own instances on 127.0.0.1; the packages' services are not used.
set -euo pipefail

if command -v prometheus >/dev/null && command -v promtool >/dev/null && command -v prometheus-alertmanager >/dev/null; then
  echo "prometheus, promtool and prometheus-alertmanager present"
  exit 0
fi
if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null; then
  echo "error: installing prometheus and prometheus-alertmanager needs root: run as root or install them yourself" >&2
  exit 1
fi
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
# policy-rc.d keeps the packages from starting their own services during
# install. A policy-rc.d that is already there belongs to the machine's owner:
# it is kept as it is and not removed afterwards.
policy=/usr/sbin/policy-rc.d
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
  "${sudo_cmd[@]}" chmod +x "$policy"
  trap '"${sudo_cmd[@]}" rm -f "$policy"' EXIT
fi
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager >/dev/null
echo "installed $(prometheus --version 2>&1 | head -1)"
