#!/usr/bin/env bash
# bench-loadgen.sh: qload run's plain mode beside the vegeta CLI on the same trivial loopback
# server, side by side in one run: requests per second and CPU per request (user+sys of the
# generator's process, from /usr/bin/time), closed model (N connections); then qload's journeys
# and recording beside its plain open model at the same request rate.
#
#   scripts/bench-loadgen.sh [DURATION] [CONNECTIONS] [ROUNDS] [RATE]   (defaults 5s 50 3 4000)
#
# Builds qload and benchtarget into a temporary directory and vegeta v12.13.0 (the version
# go.mod pins) with `go install` into a temporary GOBIN.
set -euo pipefail
DUR=${1:-5s}
CONNS=${2:-50}
ROUNDS=${3:-3}
RATE=${4:-4000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'kill $SRV_PID 2>/dev/null || true; rm -rf "$TMP"' EXIT
cd "$ROOT"
go build -o "$TMP/qload" ./cmd/qload
go build -o "$TMP/benchtarget" ./scripts/benchtarget
GOBIN="$TMP" GOFLAGS=-mod=mod go install github.com/tsenart/vegeta/v12@v12.13.0
"$TMP/benchtarget" > "$TMP/addr" &
SRV_PID=$!
for _ in $(seq 50); do [ -s "$TMP/addr" ] && break; sleep 0.1; done
URL="http://$(cat "$TMP/addr")/"
export QUEUEIT_SECRET_KEY=bench-loadgen-secret-not-a-real-one

# timed NAME REQUESTS_CMD -- COMMAND...: runs COMMAND under /usr/bin/time, then REQUESTS_CMD
# prints how many requests it sent; prints "NAME req/s cpu-µs/req".
timed() {
  local name=$1 count=$2; shift 3
  /usr/bin/time -f "%e %U %S" -o "$TMP/time" "$@" > /dev/null 2>&1
  local n; n=$(eval "$count")
  read -r wall user sys < "$TMP/time"
  awk -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v name="$name" \
    'BEGIN { printf "%-34s %9d req %9.0f req/s %7.1f µs CPU/req\n", name, n, n/w, (u+s)*1e6/n }'
}
sent() { sed -n 's/.*"sent": *\([0-9]*\).*/\1/p' "$1/run.json"; }

echo "target $URL, $DUR per run, $ROUNDS rounds; $(nproc) CPUs; $(uname -sr)"
for r in $(seq "$ROUNDS"); do
  echo "round $r"
  timed "vegeta attack -rate=0 -max-workers=$CONNS" "'$TMP/vegeta' report -type=json < '$TMP/v.gob' | sed -n 's/.*\"requests\":\([0-9]*\).*/\1/p'" -- \
    sh -c "echo 'GET $URL' | '$TMP/vegeta' attack -rate=0 -workers=$CONNS -max-workers=$CONNS -duration=$DUR -redirects=-1 -max-body=0 > '$TMP/v.gob'"
  rm -rf "$TMP/q"
  timed "qload run --connections $CONNS" "sent '$TMP/q'" -- \
    "$TMP/qload" run --quiet --target "$URL" --connections "$CONNS" --duration "$DUR" --out "$TMP/q"
  timed "vegeta attack -rate=$RATE" "'$TMP/vegeta' report -type=json < '$TMP/v.gob' | sed -n 's/.*\"requests\":\([0-9]*\).*/\1/p'" -- \
    sh -c "echo 'GET $URL' | '$TMP/vegeta' attack -rate=$RATE -max-workers=1000 -duration=$DUR -redirects=-1 -max-body=0 > '$TMP/v.gob'"
  rm -rf "$TMP/p"
  timed "qload run --rate $RATE (plain)" "sent '$TMP/p'" -- \
    "$TMP/qload" run --quiet --target "$URL" --rate "$RATE" --duration "$DUR" --out "$TMP/p"
  rm -rf "$TMP/j"
  timed "qload run --rate $RATE (journeys)" "sent '$TMP/j'" -- \
    "$TMP/qload" run --quiet --target "$URL" --profile scripts/bench-journeys.yaml --rate "$((RATE / 5))" --duration "$DUR" --out "$TMP/j"
done
