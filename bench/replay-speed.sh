#!/usr/bin/env bash
# bench/replay-speed.sh: how fast `smarthook replay` sends, side by side with hey, and
# how exact --rate is. Everything goes to a sink on 127.0.0.1 (answers 204), bounded in
# count and time. See bench/README.md's neighbours: timings never go into go test.
#
#   bench/replay-speed.sh               # 5 alternating runs of 20,000 requests each
#   RUNS=9 N=60000 bench/replay-speed.sh
#
# Needs go and hey (go install github.com/rakyll/hey@latest).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
n=${N:-20000}
conc=${CONC:-32}
dir=bench/data/replay
mkdir -p "$dir"

hey=$(command -v hey || true)
[ -n "$hey" ] || hey="$(go env GOPATH)/bin/hey"
if [ ! -x "$hey" ]; then
  echo "hey is missing: go install github.com/rakyll/hey@latest" >&2
  exit 2
fi

go build -o "$dir/smarthook" ./cmd/smarthook
go build -o "$dir/sink" ./internal/replay/testdata/sink
sh="$dir/smarthook"

# One body, and the same bytes n times as NDJSON; and n distinct chats.
"$sh" fake -n 1 --seed 3 > "$dir/body.json"
awk -v n="$n" '{ for (i = 0; i < n; i++) print }' "$dir/body.json" > "$dir/same.ndjson"
"$sh" fake -n "$n" --seed 4 > "$dir/distinct.ndjson"

"$dir/sink" -addr 127.0.0.1:0 > "$dir/sink.url" &
sink_pid=$!
trap 'kill $sink_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$dir/sink.url" ] && break; sleep 0.1; done
url=$(cat "$dir/sink.url")

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
replay_rps() { # replay_rps INPUT: requests a second of one replay run, journal on
  rm -f "$dir/run.jnl"
  "$sh" replay -c "$conc" --journal "$dir/run.jnl" --report json "$url" "$1" 2>/dev/null |
    sed -n 's/.*"requests_per_second":\([0-9.]*\).*/\1/p'
}

echo "== $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); body $(wc -c < "$dir/body.json") bytes; $n requests, concurrency $conc, $runs runs each, alternating"
: > "$dir/hey.txt"; : > "$dir/same.txt"; : > "$dir/distinct.txt"
for i in $(seq "$runs"); do
  "$hey" -c "$conc" -n "$n" -m POST -D "$dir/body.json" -T application/json "$url" |
    sed -n 's/.*Requests\/sec:[[:space:]]*\([0-9.]*\).*/\1/p' >> "$dir/hey.txt"
  replay_rps "$dir/same.ndjson" >> "$dir/same.txt"
  replay_rps "$dir/distinct.ndjson" >> "$dir/distinct.txt"
done
h=$(median < "$dir/hey.txt"); s=$(median < "$dir/same.txt"); d=$(median < "$dir/distinct.txt")
printf '%-44s %10.0f req/s  (runs: %s)\n' "hey -c $conc -n $n -D body.json" "$h" "$(paste -sd' ' "$dir/hey.txt")"
printf '%-44s %10.0f req/s  (runs: %s)\n' "replay -c $conc --journal, same body" "$s" "$(paste -sd' ' "$dir/same.txt")"
printf '%-44s %10.0f req/s  (runs: %s)\n' "replay -c $conc --journal, $n distinct chats" "$d" "$(paste -sd' ' "$dir/distinct.txt")"
awk -v s="$s" -v d="$d" -v h="$h" 'BEGIN {
  printf "ratio same body / hey: %.2f (goal >= 0.90: %s)\n", s/h, (s/h >= 0.9) ? "PASS" : "FAIL"
  printf "ratio distinct chats / hey: %.2f\n", d/h }'

echo "== --rate 1000 (-c 16): 10,000 documents, then 10 seconds of a longer run"
"$sh" fake -n 10000 --seed 5 > "$dir/rate.ndjson"
"$sh" fake -n 30000 --seed 6 > "$dir/rate-long.ndjson"
rm -f "$dir/run.jnl"
"$sh" replay -c 16 --rate 1000 --report json "$url" "$dir/rate.ndjson" > "$dir/rate.json" 2>/dev/null
awk '{
  match($0, /"requests":[0-9]+/); r = substr($0, RSTART+11, RLENGTH-11)
  match($0, /"elapsed_seconds":[0-9.]+/); e = substr($0, RSTART+18, RLENGTH-18)
  printf "10000 documents at --rate 1000: %d requests in %.3f s = %.1f req/s (goal 10 s +- 2%%: %s)\n", r, e, r/e, (e+0 >= 9.8 && e+0 <= 10.2) ? "PASS" : "FAIL" }' "$dir/rate.json"
set +e
timeout --preserve-status -s INT 10 "$sh" replay -c 16 --rate 1000 --report json "$url" "$dir/rate-long.ndjson" > "$dir/rate-long.json" 2>/dev/null
code=$?
set -e
awk -v code="$code" '{
  match($0, /"requests":[0-9]+/); r = substr($0, RSTART+11, RLENGTH-11)
  match($0, /"elapsed_seconds":[0-9.]+/); e = substr($0, RSTART+18, RLENGTH-18)
  printf "--rate 1000 stopped by SIGINT after 10 s (exit %d): %d requests in %.3f s of sending = %.1f req/s (goal 10000 +- 2%% a 10 s: %s)\n", code, r, e, r/e, (r/e*10 >= 9800 && r/e*10 <= 10200) ? "PASS" : "FAIL" }' "$dir/rate-long.json"
