#!/usr/bin/env bash
# convert-parquet.sh: time `smarthook convert --to parquet` against DuckDB's own
# COPY (SELECT * FROM read_json_auto(...)) TO 'x.parquet' on the same ~300 MB of
# generated NDJSON, wall time, CPU time and peak RSS of each whole process; then
# `convert --to sqlite` of the same file (chats per second, every row kind written).
#
#   bench/convert-parquet.sh            # 135,000 hooks (~305 MB)
#   bench/convert-parquet.sh --quick    # 13,500 hooks (~30 MB): a smoke run of the script
#   bench/convert-parquet.sh --bin PATH # time this smarthook binary instead of building one
#   bench/convert-parquet.sh --runs 5   # every conversion 5 times (interleaved): judge the medians
#
# DuckDB comes from npm (@duckdb/node-api), installed once into bench/.node/ (git-ignored).
# Goals: smarthook at least 3x faster than DuckDB with a peak RSS under 150 MB; SQLite
# at 50,000 chats/s. A FAIL does not fail the script: timings on a shared machine are
# not a verdict.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

quick=0 bin="" runs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --bin) bin="${2:?--bin needs a path}"; shift ;;
    --runs) runs="${2:?--runs needs a count}"; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "convert-parquet.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
script=convert-parquet.sh extra_tools=""
# shellcheck source=bench/duckdb-setup.sh
. "$here/duckdb-setup.sh"
cat >"$node_dir/convert-parquet.mjs" <<'JS'
import { DuckDBInstance } from '@duckdb/node-api';
const [file, out] = process.argv.slice(2);
const q = (s) => "'" + s.replace(/'/g, "''") + "'";
const conn = await (await DuckDBInstance.create(':memory:')).connect();
await conn.run(`COPY (SELECT * FROM read_json_auto(${q(file)}, format = 'newline_delimited')) TO ${q(out)} (FORMAT parquet)`);
JS

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# timed CMD...: run CMD, print "wall cpu rss_mb".
timed() {
  local tf="$work/time"
  /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" >/dev/null
  awk '{printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024}' "$tf"
}

# median FILE COLUMN: the median of a column of numbers.
median() { awk -v c="$2" '{print $c}' "$1" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
# Each tool runs $runs times, interleaved; the medians are compared.
: >"$work/ours" && : >"$work/duck"
for ((i = 1; i <= runs; i++)); do
  timed "$bin" convert --to parquet -o "$work/ours.parquet" "$file" >>"$work/ours"
  rm -f "$work/duck.parquet"
  timed node "$node_dir/convert-parquet.mjs" "$file" "$work/duck.parquet" >>"$work/duck"
  [ "$i" -lt "$runs" ] && rm -f "$work/ours.parquet"
done
w_ours=$(median "$work/ours" 1) c_ours=$(median "$work/ours" 2) m_ours=$(median "$work/ours" 3)
w_duck=$(median "$work/duck" 1) c_duck=$(median "$work/duck" 2) m_duck=$(median "$work/duck" 3)
rows=$(node --input-type=module -e "
import { DuckDBInstance } from '$node_dir/node_modules/@duckdb/node-api/lib/index.js';
const c = await (await DuckDBInstance.create(':memory:')).connect();
const r = await c.runAndReadAll(\"SELECT (SELECT count(*) FROM '$work/ours.parquet') || ' | ' || (SELECT count(*) FROM '$work/duck.parquet') AS n\");
console.log(r.getRowObjectsJson()[0].n);" 2>/dev/null || echo "?")
size_mb=$(du -m "$file" | cut -f1)

echo "file: $file ($size_mb MB, $n hooks); $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
[ "$runs" -gt 1 ] && echo "medians of $runs runs each, interleaved"
printf '%-22s %8s %8s %10s %12s\n' "" "wall s" "cpu s" "peak MB" "parquet MB"
printf '%-22s %8s %8s %10s %12s\n' "smarthook (chats)" "$w_ours" "$c_ours" "$m_ours" "$(du -m "$work/ours.parquet" | cut -f1)"
printf '%-22s %8s %8s %10s %12s\n' "duckdb (every field)" "$w_duck" "$c_duck" "$m_duck" "$(du -m "$work/duck.parquet" | cut -f1)"
echo "rows (smarthook | duckdb): $rows"
ratio=$(awk -v a="$w_ours" -v b="$w_duck" 'BEGIN {printf "%.2f", b / a}')
cratio=$(awk -v a="$c_ours" -v b="$c_duck" 'BEGIN {printf "%.2f", b / a}')
verdict=$(awk -v r="$ratio" -v m="$m_ours" 'BEGIN {print (r >= 3 && m < 150 ? "PASS" : "FAIL")}')
echo "duckdb / smarthook: wall ${ratio}x, cpu ${cratio}x (goal: at least 3x, under 150 MB) $verdict"

echo
walls=()
for ((i = 1; i <= runs; i++)); do
  rm -f "$work/hooks.db"
  read -r w_sql c_sql m_sql < <(timed "$bin" convert --to sqlite -o "$work/hooks.db" "$file")
  walls+=("$w_sql")
  echo "convert --to sqlite, run $i: ${w_sql} s wall, ${c_sql} s cpu, ${m_sql} MB peak: $(awk -v n="$n" -v w="$w_sql" 'BEGIN {printf "%.0f", n / w}') chats/s"
done
w_med=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
rate=$(awk -v n="$n" -v w="$w_med" 'BEGIN {printf "%.0f", n / w}')
verdict=$(awk -v r="$rate" 'BEGIN {print (r >= 50000 ? "PASS" : "FAIL")}')
echo "convert --to sqlite, median of $runs: ${w_med} s wall: $rate chats/s with their messages, paths and variables (goal: 50,000) $verdict"
