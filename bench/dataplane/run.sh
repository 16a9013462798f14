#!/usr/bin/env bash
# bench/dataplane: direct vs kubeloop ClusterIP vs HAProxy, keep-alive and new connections.
# Installs wrk, haproxy and nginx-light from Debian if missing, builds, and runs the benchmark.
# Every packet stays on 127.0.0.0/8; every process started is stopped by pid.
set -euo pipefail
cd "$(dirname "$0")/../.."
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v haproxy >/dev/null || need+=(haproxy)
command -v nginx >/dev/null || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} with apt-get" >&2
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi
npx tsc -p . >/dev/null || true   # emits even when other folders have type errors
exec node dist/bench/dataplane/run.js "$@"
