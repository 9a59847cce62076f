#!/usr/bin/env bash
# The generator's memory over a 10-minute run with ~100,000 visitors waiting in the simulated
# queue (scripts/queue-memory.yaml), against the local edge on loopback. Prints the resident set
# of `qload run` every 30 s and the queue length from the run's own progress line.
# Usage: scripts/queue-memory.sh [DURATION]   (default 10m)
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-10m}
go build -o bin/qload ./cmd/qload
tmp=$(mktemp -d)
out=runs/queue-memory-$(date +%Y%m%d-%H%M%S)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
export QUEUEIT_SECRET_KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
bin/qload serve --addr 127.0.0.1:18380 --control 127.0.0.1:18381 --prewarm 8 --max-concurrency 32 --config-ttl 1m >"$tmp/serve.log" 2>&1 &
serve=$!
for _ in $(seq 100); do curl -fso /dev/null http://127.0.0.1:18381/metrics && break; sleep 0.1; done
bin/qload run --profile scripts/queue-memory.yaml --target http://127.0.0.1:18380/ --duration "$dur" --out "$out" >"$tmp/run.log" 2>&1 &
run=$!
echo "elapsed_s rss_MiB progress"
start=$(date +%s)
while kill -0 "$run" 2>/dev/null; do
  sleep 30
  rss=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$run/status 2>/dev/null || echo -)
  echo "$(( $(date +%s) - start )) $rss $(tail -c 400 "$tmp/run.log" | tr '\r' '\n' | grep -v '^$' | tail -1 | grep -o 'queued *[0-9]*' || true)"
done
wait "$run" || true
kill -INT "$serve"; wait "$serve" || true
tail -2 "$tmp/run.log"
grep -o '"maxQueued": *[0-9]*' "$out/run.json" || true
echo "run folder: $out (qload report $out)"
