#!/usr/bin/env bash
# bench/replay-rate.sh: how exact `smarthook replay --rate` is, asked against achieved,
# with a steady rate up to 5,000 req/s and with a ramp, against `smarthook listen
# --ndjson` (RECEIVER=listen, the default) or the fast test sink (RECEIVER=sink).
# Everything stays on 127.0.0.1, bounded in count and time. Timings never go into go
# test: this script prints the figures and a PASS/FAIL against the 1% goal.
#
#   bench/replay-rate.sh                      # 1000, 2500 and 5000 req/s for 10 s each
#   RATES="5000 8000" SECONDS_EACH=20 bench/replay-rate.sh
#   RECEIVER=sink bench/replay-rate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rates=${RATES:-"1000 2500 5000"}
secs=${SECONDS_EACH:-10}
conc=${CONC:-64}
receiver=${RECEIVER:-listen}
dir=bench/data/replay-rate
mkdir -p "$dir"
go build -o "$dir/smarthook" ./cmd/smarthook
sh="$dir/smarthook"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
if [ "$receiver" = sink ]; then
  go build -o "$dir/sink" ./internal/replay/testdata/sink
  "$dir/sink" -addr "127.0.0.1:$port" > /dev/null &
else
  rm -f "$dir/received.ndjson"
  "$sh" listen --addr "127.0.0.1:$port" --view none --ndjson "$dir/received.ndjson" > /dev/null 2>&1 &
fi
recv_pid=$!
trap 'kill $recv_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port/"

field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" "$2"; }
p99() { sed -n "s/.*\"$1\":{[^}]*\"p99\":\([0-9.]*\).*/\1/p" "$2"; }

echo "== $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); receiver: $receiver; concurrency $conc"
"$sh" fake -n 1 --seed 3 | tr -d '\n' > "$dir/body.json"; echo >> "$dir/body.json"
for r in $rates; do
  n=$((r * secs))
  awk -v n="$n" '{ for (i = 0; i < n; i++) print }' "$dir/body.json" > "$dir/in.ndjson"
  "$sh" replay -c "$conc" --rate "$r" --report json "$url" "$dir/in.ndjson" > "$dir/rate.json" 2>/dev/null || true
  req=$(field requests "$dir/rate.json"); el=$(field elapsed_seconds "$dir/rate.json")
  awk -v r="$r" -v n="$req" -v e="$el" -v ps="$(p99 latency_ms "$dir/rate.json")" -v pc="$(p99 latency_from_schedule_ms "$dir/rate.json")" 'BEGIN {
    a = n / e; d = (a - r) / r * 100
    printf "asked %6d req/s, achieved %9.1f req/s (%d requests in %.3f s): %+.2f%% %s; p99 from send %s ms, from schedule %s ms\n",
      r, a, n, e, d, (d <= 1 && d >= -1) ? "PASS" : "FAIL", ps, pc }'
done

# A ramp from 100 to 2000 req/s over 10 s makes (100+2000)/2*10 = 10500 requests in
# its first 10 s, then holds 2000 req/s: 14500 requests take 12 s.
awk '{ for (i = 0; i < 14500; i++) print }' "$dir/body.json" > "$dir/in.ndjson"
"$sh" replay -c "$conc" --rate 100:2000/10s --report json "$url" "$dir/in.ndjson" > "$dir/ramp.json" 2>/dev/null || true
awk -v e="$(field elapsed_seconds "$dir/ramp.json")" 'BEGIN {
  d = (e - 12) / 12 * 100
  printf "ramp 100:2000/10s, 14500 requests: %.3f s, expected 12 s: %+.2f%% %s\n", e, d, (d <= 1 && d >= -1) ? "PASS" : "FAIL" }'
