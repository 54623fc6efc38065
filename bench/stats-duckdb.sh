#!/usr/bin/env bash
# stats-duckdb.sh: time `smarthook stats` against DuckDB answering the same counts, rates
# and percentiles with SQL over read_json_auto, on the same ~300 MB of generated NDJSON.
#
#   bench/stats-duckdb.sh            # 135,000 hooks (~305 MB), 3 runs each
#   bench/stats-duckdb.sh --quick    # 13,500 hooks (~30 MB): a smoke run of the script
#   bench/stats-duckdb.sh --runs 5   # timed runs per side (the median is reported)
#   bench/stats-duckdb.sh --bin PATH # time this smarthook binary instead of building one
#
# DuckDB comes from npm (@duckdb/node-api), installed once into bench/.node/ (git-ignored).
# Both sides are timed as whole processes (node start-up included for DuckDB), wall time
# and CPU time (user + system). The script prints the medians, the ratios, and the two
# sets of figures side by side; a FAIL does not fail the script, because timings on a
# shared machine are not a verdict (the CPU ratio is the steadier one under load).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

quick=0 runs=3 bin=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --runs) runs="${2:?--runs needs a number}"; shift ;;
    --bin) bin="${2:?--bin needs a path}"; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "stats-duckdb.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
script=stats-duckdb.sh extra_tools="jq"
# shellcheck source=bench/duckdb-setup.sh
. "$here/duckdb-setup.sh"
cp "$here/stats-duckdb.mjs" "$node_dir/stats-duckdb.mjs"

# median TIMES...: the middle value.
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# timed OUT CMD...: run CMD with stdout to OUT, print "wall cpu" in seconds (cpu is
# user + system of every thread: less swayed than wall time by other work on the machine).
timed() {
  local out=$1; shift
  local tf
  tf=$(mktemp)
  /usr/bin/time -f '%e %U %S' -o "$tf" "$@" >"$out"
  awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$tf"
  rm -f "$tf"
}

ours_json=$(mktemp) duck_json=$(mktemp)
trap 'rm -f "$ours_json" "$duck_json"' EXIT
ours=() duck=() ours_cpu=() duck_cpu=()
for _ in $(seq "$runs"); do
  read -r w c < <(timed "$ours_json" "$bin" stats --tz UTC --format json "$file")
  ours+=("$w") ours_cpu+=("$c")
  read -r w c < <(timed "$duck_json" node "$node_dir/stats-duckdb.mjs" "$file")
  duck+=("$w") duck_cpu+=("$c")
done
t_ours=$(median "${ours[@]}") t_duck=$(median "${duck[@]}")
c_ours=$(median "${ours_cpu[@]}") c_duck=$(median "${duck_cpu[@]}")
size_mb=$(du -m "$file" | cut -f1)

echo "file: $file ($size_mb MB, $n hooks); $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-10s %8s %8s   %s\n' "" "wall s" "cpu s" "runs (wall)"
printf '%-10s %8s %8s   %s\n' "smarthook" "$t_ours" "$c_ours" "${ours[*]}"
printf '%-10s %8s %8s   %s\n' "duckdb" "$t_duck" "$c_duck" "${duck[*]}"
ratio=$(awk -v a="$t_ours" -v b="$t_duck" 'BEGIN {printf "%.2f", b / a}')
cratio=$(awk -v a="$c_ours" -v b="$c_duck" 'BEGIN {printf "%.2f", b / a}')
verdict=$(awk -v r="$ratio" 'BEGIN {print (r >= 1 ? "PASS" : "FAIL")}')
echo
echo "duckdb / smarthook: wall ${ratio}x (goal: at least 1x) $verdict; cpu ${cratio}x"
echo
echo "figures (smarthook | duckdb):"
jq -r --slurpfile d "$duck_json" '
  .chats as $c | $d[0] as $d |
  [["chats", $c.chats, $d.chats], ["missed", $c.missed, $d.missed], ["offline", $c.offline, $d.offline],
   ["completed", $c.completed, $d.completed], ["dropped", $c.dropped, $d.dropped],
   ["missed_rate", $c.rates.missed, $d.missed_rate], ["rated", $c.ratings.rated, $d.rated],
   ["rating_mean", $c.ratings.mean, $d.rating_mean],
   ["first_response mean", $c.first_response_time.hook.mean, $d.first_response_mean],
   ["first_response p50", $c.first_response_time.hook.p50, $d.first_response_p50],
   ["first_response p90", $c.first_response_time.hook.p90, $d.first_response_p90],
   ["first_response p99", $c.first_response_time.hook.p99, $d.first_response_p99],
   ["response p50", $c.response_time.hook.p50, $d.response_p50],
   ["response p90", $c.response_time.hook.p90, $d.response_p90],
   ["duration p50", $c.duration.p50, $d.duration_p50],
   ["duration p90", $c.duration.p90, $d.duration_p90],
   ["duration p99", $c.duration.p99, $d.duration_p99]][]
  | "  \(.[0]): \(.[1]) | \(.[2])"' "$ours_json"
