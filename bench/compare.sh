#!/usr/bin/env bash
# compare.sh: time the smarthook binary side by side with jq and gojq on generated data
# and print the throughput of each command and the ratios the project must reach.
#
#   bench/compare.sh            # full run: ~300 MB NDJSON, 20,000 chats
#   bench/compare.sh --quick    # smoke run: ~30 MB NDJSON, 2,000 chats
#   bench/compare.sh --regen    # regenerate the data even if it is present
#   bench/compare.sh --runs 7   # timed runs per command (default 5, quick 3)
#   bench/compare.sh --bin PATH # time this smarthook binary instead of building one
#   bench/compare.sh --only query,convert  # sections: validate, pretty, query, convert
#
# Exits non-zero only when a tool it needs is missing; FAIL rows do not fail the script,
# because timings on a shared machine are not a verdict (see bench/README.md).
#
# Adding a row: time a command with `bench LABEL INPUT CMDLINE`, then relate two labels
# with `compare NAME TARGET OURS ANCHOR`, or measure memory with `rss NAME MAX_MB CMDLINE`.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
data="$here/data"

quick=0 regen=0 runs="" bin="" only="validate,pretty,query,convert"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --regen) regen=1 ;;
    --runs) runs="${2:?--runs needs a number}"; shift ;;
    --runs=*) runs="${1#--runs=}" ;;
    --bin) bin="${2:?--bin needs a path}"; shift ;;
    --bin=*) bin="${1#--bin=}" ;;
    --only) only="${2:?--only needs a list}"; shift ;;
    --only=*) only="${1#--only=}" ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

case "$runs" in ''|*[!0-9]*|0) [ -z "$runs" ] || { echo "compare.sh: --runs needs a positive number" >&2; exit 2; } ;; esac
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

if [ "$quick" = 1 ]; then
  set_name=quick big_n=13500 chats_n=2000 runs=${runs:-3}
else
  set_name=full big_n=135000 chats_n=20000 runs=${runs:-5}
fi

# ---------------------------------------------------------------- tools

missing=()
need() { # need TOOL HINT: a tool the script cannot run without
  command -v "$1" >/dev/null 2>&1 || missing+=("$1: $2")
}
need go "install Go 1.26+ (https://go.dev/dl/)"
need jq "apt-get install jq"
need awk "apt-get install gawk"
[ -x /usr/bin/time ] || missing+=("/usr/bin/time (GNU time, for peak RSS): apt-get install time")
if [ ${#missing[@]} -gt 0 ]; then
  echo "compare.sh: missing tools:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 3
fi

# Optional tools: a row is skipped (with a hint) when its tool is absent.
gojq_bin=$(command -v gojq || true)
if [ -z "$gojq_bin" ] && [ -x "$(go env GOPATH)/bin/gojq" ]; then
  gojq_bin="$(go env GOPATH)/bin/gojq"
fi
hyperfine_bin=$(command -v hyperfine || true)
notes=()
mlr_bin=$(command -v mlr || true)
[ -n "$mlr_bin" ] || notes+=("Miller not found, its row is skipped: apt-get install miller")
[ -n "$gojq_bin" ] || notes+=("gojq not found, its row is skipped: go install github.com/itchyny/gojq/cmd/gojq@v0.12.19 (@latest does not build here)")
[ -n "$hyperfine_bin" ] || notes+=("hyperfine not found, timing with a bash loop instead: apt-get install hyperfine")

if awk -v l="${load_before%% *}" -v n="$(nproc)" 'BEGIN {exit !(l > n / 2)}'; then
  notes+=("load average ${load_before%% *} on $(nproc) cores when the run started: other work competes, ratios are unreliable")
fi

[ "$quick" = 1 ] && notes+=("quick set: on 30 MB, process start-up and warm-up weigh on every ratio; judge the targets on the full set")

q() { printf '%q' "$1"; } # quote a path for a command line

# ---------------------------------------------------------------- data

mkdir -p "$data"
if [ -n "$bin" ]; then
  [ -x "$bin" ] || { echo "compare.sh: --bin $bin is not an executable" >&2; exit 2; }
  bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
else
  bin="$data/smarthook"
  echo "building $bin" >&2
  if ! (cd "$repo" && go build -o "$bin" ./cmd/smarthook); then
    echo "compare.sh: go build ./cmd/smarthook failed (see above); fix the tree or pass --bin PATH" >&2
    exit 4
  fi
fi

set_dir="$data/$set_name"
big="$set_dir/hooks.ndjson"        # one big NDJSON file of hooks
chats="$set_dir/chats.ndjson"      # the same chats twice: as NDJSON ...
chats_dir="$set_dir/chats"         # ... and as one pretty file per chat
stamp="$set_dir/.complete"         # written last: a half-generated set is regenerated
want_stamp="big_n=$big_n seed=1; chats_n=$chats_n seed=2"

if [ "$regen" = 1 ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want_stamp" ]; then
  echo "generating data in $set_dir" >&2
  rm -rf "$set_dir"
  mkdir -p "$set_dir"
  "$bin" fake -n "$big_n" --seed 1 >"$big"
  "$bin" fake -n "$chats_n" --seed 2 >"$chats"
  "$bin" fake -n "$chats_n" --seed 2 --out "$chats_dir" --pretty
  echo "$want_stamp" >"$stamp"
else
  echo "reusing data in $set_dir (--regen to rebuild)" >&2
fi

bytes_of() { # bytes_of PATH: size of a file, or the sum of the files under a directory
  if [ -d "$1" ]; then find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'
  else stat -c %s "$1"; fi
}
big_bytes=$(bytes_of "$big")
big_mb=$(awk -v b="$big_bytes" 'BEGIN {printf "%.0f", b / 1e6}')
want_mb=$([ "$quick" = 1 ] && echo 30 || echo 300)
if awk -v m="$big_mb" -v w="$want_mb" 'BEGIN {exit !(m < w * 0.8 || m > w * 1.2)}'; then
  notes+=("$big is $big_mb MB, expected about $want_mb MB: the generator changed; adjust big_n")
fi
files=$(find "$chats_dir" -type f | wc -l)
echo "data: $(basename "$big") $big_mb MB ($big_n docs); $(basename "$chats") $(($(bytes_of "$chats") / 1000000)) MB; chats/ $files files, $(($(bytes_of "$chats_dir") / 1000000)) MB" >&2

# ---------------------------------------------------------------- timing

declare -A median bytes_in status
rows=()     # labels in the order they were timed
checks=()   # printed lines of the ratio table

time_hyperfine() { # time_hyperfine CMDLINE -> "median max_exit_code"
  local json
  json=$(mktemp)
  "$hyperfine_bin" --warmup 1 --runs "$runs" --style none --ignore-failure \
    --export-json "$json" "$1" >/dev/null 2>&1
  jq -r '.results[0] | "\(.median) \(.exit_codes | max)"' "$json"
  rm -f "$json"
}

time_loop() { # time_loop CMDLINE -> "median max_exit_code", N runs after one warm-up
  local i t0 t1 rc maxrc=0 times=()
  bash -c "$1" >/dev/null 2>&1 || true
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s.%N)
    rc=0; bash -c "$1" >/dev/null 2>&1 || rc=$?
    t1=$(date +%s.%N)
    [ "$rc" -gt "$maxrc" ] && maxrc=$rc
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f", b - a}')")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk -v rc="$maxrc" \
    '{t[NR] = $1} END {m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; print m, rc}'
}

# bench LABEL INPUT CMDLINE: time CMDLINE (output to /dev/null) and add a row; INPUT is the
# file or directory it reads, for MB/s. A label already timed is not timed again.
bench() {
  local label=$1 input=$2 cmd=$3 out
  [ -n "${median[$label]:-}" ] && return 0
  echo "timing $label ($runs runs): $cmd" >&2
  if [ -n "$hyperfine_bin" ]; then out=$(time_hyperfine "$cmd"); else out=$(time_loop "$cmd"); fi
  median[$label]=${out% *}
  status[$label]=${out#* }
  bytes_in[$label]=$(bytes_of "$input")
  rows+=("$label")
}

# compare NAME TARGET OURS ANCHOR: relate two timed labels.
#   TARGET ">=N": OURS must be at least N times faster than ANCHOR (t_anchor / t_ours >= N)
#   TARGET "<=N": OURS may take at most N times as long as ANCHOR (t_ours / t_anchor <= N)
compare() {
  local name=$1 target=$2 ours=$3 anchor=$4 op=${2:0:2} n=${2:2} ratio verdict
  if [ -z "${median[$ours]:-}" ] || [ -z "${median[$anchor]:-}" ]; then
    checks+=("$(printf '%-42s %10s %8s  %s' "$name" "-" "$target" "SKIP")")
    return 0
  fi
  if [ "$op" = ">=" ]; then
    ratio=$(awk -v a="${median[$anchor]}" -v o="${median[$ours]}" 'BEGIN {printf "%.2f", a / o}')
    verdict=$(awk -v r="$ratio" -v n="$n" 'BEGIN {print (r >= n) ? "PASS" : "FAIL"}')
  else
    ratio=$(awk -v a="${median[$anchor]}" -v o="${median[$ours]}" 'BEGIN {printf "%.2f", o / a}')
    verdict=$(awk -v r="$ratio" -v n="$n" 'BEGIN {print (r <= n) ? "PASS" : "FAIL"}')
  fi
  checks+=("$(printf '%-42s %9sx %8s  %s' "$name" "$ratio" "${target}x" "$verdict")")
}

# rss NAME MAX_MB CMDLINE: peak resident set size (the largest of 3 runs) below MAX_MB.
rss() {
  local name=$1 max=$2 cmd=$3 f kb peak=0 i mb verdict
  echo "measuring peak RSS: $cmd" >&2
  f=$(mktemp)
  for i in 1 2 3; do
    /usr/bin/time -f %M -o "$f" bash -c "exec $cmd" >/dev/null 2>&1 || true
    kb=$(tail -n 1 "$f")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  rm -f "$f"
  mb=$(awk -v k="$peak" 'BEGIN {printf "%.1f", k / 1024}')
  verdict=$(awk -v m="$mb" -v n="$max" 'BEGIN {print (m < n) ? "PASS" : "FAIL"}')
  checks+=("$(printf '%-42s %7s MB %8s  %s' "$name" "$mb" "<${max} MB" "$verdict")")
}

# ---------------------------------------------------------------- the comparisons

big_name=$(basename "$big") chats_name=$(basename "$chats")
sh=$(q "$bin")

section() { case ",$only," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

bench "cat $big_name | wc -l (pipe floor)" "$big" "cat $(q "$big") | wc -l"

if section validate; then
  bench "jq empty $big_name" "$big" "jq empty $(q "$big")"
  [ -n "$gojq_bin" ] && bench "gojq empty $big_name" "$big" "$(q "$gojq_bin") empty $(q "$big")"
  bench "smarthook validate -q $big_name" "$big" "$sh validate -q $(q "$big")"
  bench "smarthook validate -q $chats_name" "$chats" "$sh validate -q $(q "$chats")"
  bench "smarthook validate -q chats/ ($files files)" "$chats_dir" "$sh validate -q $(q "$chats_dir")"

  compare "validate vs jq empty" ">=8" "smarthook validate -q $big_name" "jq empty $big_name"
  compare "dir of $files files vs same chats as NDJSON" "<=1.5" \
    "smarthook validate -q chats/ ($files files)" "smarthook validate -q $chats_name"
  rss "validate peak RSS ($big_name)" 100 "$sh validate -q $(q "$big")"
fi

if section pretty; then
  bench "jq -c . $big_name" "$big" "jq -c . $(q "$big")"
  bench "smarthook pretty -c $big_name" "$big" "$sh pretty -c $(q "$big")"
  compare "pretty -c vs jq -c ." ">=8" "smarthook pretty -c $big_name" "jq -c . $big_name"
  rss "pretty -c peak RSS ($big_name)" 100 "$sh pretty -c $(q "$big")"
fi

if section query; then
  # query_case NAME FLAGS FILTER GOJQ_GOAL JQ_GOAL ("-" for no goal)
  query_case() {
    local qname=$1 flags=$2 filter=$3 g_goal=$4 j_goal=$5
    bench "smarthook query ($qname)" "$big" "$sh query $flags $(q "$filter") $(q "$big")"
    bench "jq ($qname)" "$big" "jq $flags $(q "$filter") $(q "$big")"
    if [ -n "$gojq_bin" ]; then
      bench "gojq ($qname)" "$big" "$(q "$gojq_bin") $flags $(q "$filter") $(q "$big")"
      compare "query ($qname) vs gojq" ">=$g_goal" "smarthook query ($qname)" "gojq ($qname)"
    fi
    if [ "$j_goal" != "-" ]; then
      compare "query ($qname) vs jq" ">=$j_goal" "smarthook query ($qname)" "jq ($qname)"
    fi
  }
  query_case "channel.id" -c '.channel.id' 3 4
  query_case "tsv" -r '[.accountId, .visitor.email] | @tsv' 3 4
  query_case "visitor messages" -c '.messages[] | select(.type=="visitor") | .content' 2 -
  # From a pipe: stdin read ahead, then decoded on every core like a file.
  bench "smarthook query (stdin channel.id)" "$big" "cat $(q "$big") | $sh query -c .channel.id"
  if [ -n "$gojq_bin" ]; then
    bench "gojq (stdin channel.id)" "$big" "cat $(q "$big") | $(q "$gojq_bin") -c .channel.id"
    compare "query (stdin channel.id) vs gojq" ">=3" "smarthook query (stdin channel.id)" "gojq (stdin channel.id)"
    # input/inputs read in order, as gojq does: it must not be slower than gojq.
    bench "smarthook query (-n reduce inputs)" "$big" "$sh query -n $(q 'reduce inputs as $d (0; . + 1)') $(q "$big")"
    bench "gojq (-n reduce inputs)" "$big" "$(q "$gojq_bin") -n $(q 'reduce inputs as $d (0; . + 1)') $(q "$big")"
    compare "query (-n reduce inputs) vs gojq" ">=1" "smarthook query (-n reduce inputs)" "gojq (-n reduce inputs)"
  fi
  rss "query peak RSS ($big_name)" 100 "$sh query -c .channel.id $(q "$big")"
fi

if section convert; then
  cols=accountId,beginAt,endAt,channel.id,channel.isMissed,channel.rating,visitor.name,visitor.email,messages.count
  bench "smarthook convert --rows chats" "$big" "$sh convert --to csv --time ms --columns $cols $(q "$big")"
  bench "jq @csv (chats)" "$big" "jq -r $(q '[.accountId, .beginAt, .endAt, .channel.id, .channel.isMissed, .channel.rating, .visitor.name, .visitor.email, (.messages | length)] | @csv') $(q "$big")"
  bench "smarthook convert --rows messages" "$big" "$sh convert --to csv --time ms --rows messages $(q "$big")"
  bench "jq @csv (messages)" "$big" "jq -r $(q '.accountId as $a | .channel.id as $c | .messages | to_entries[] | [$a, $c, .key, .value.type, .value.sentAt, .value.name, .value.from, .value.content, .value.triggeredBy] | @csv') $(q "$big")"
  compare "convert chats vs jq @csv" ">=6" "smarthook convert --rows chats" "jq @csv (chats)"
  compare "convert messages vs jq @csv" ">=10" "smarthook convert --rows messages" "jq @csv (messages)"
  if [ -n "$mlr_bin" ]; then
    bench "Miller NDJSON to CSV (chats)" "$big" "$(q "$mlr_bin") --ijson --ocsv put $(q '$messages_count = length($messages)') then flatten then cut -o -f ${cols/messages.count/messages_count} $(q "$big")"
    compare "convert chats vs Miller" ">=15" "smarthook convert --rows chats" "Miller NDJSON to CSV (chats)"
  fi
  rss "convert peak RSS ($big_name)" 100 "$sh convert --to csv --rows messages $(q "$big")"
  rss "convert --all-columns peak RSS ($big_name)" 100 "$sh convert --to csv --all-columns $(q "$big")"
fi

# ---------------------------------------------------------------- report

load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
echo
echo "smarthook bench ($set_name set, started $started, $(go version | cut -d' ' -f3), $(nproc) cores, load avg $load_before at start, $load at end)"
echo "timer: $([ -n "$hyperfine_bin" ] && echo "hyperfine --warmup 1 --runs $runs" || echo "bash loop, 1 warm-up + $runs runs"); output to /dev/null; data in page cache"
echo
printf '%-48s %9s %10s %8s\n' "command" "input MB" "median s" "MB/s"
printf '%-48s %9s %10s %8s\n' "-------" "--------" "--------" "----"
for label in "${rows[@]}"; do
  mbs=$(awk -v b="${bytes_in[$label]}" -v t="${median[$label]}" 'BEGIN {printf "%.0f", b / 1e6 / t}')
  flag=""
  [ "${status[$label]}" != 0 ] && flag="  (exit ${status[$label]})"
  printf '%-48s %9.1f %10.3f %8s%s\n' "$label" "$(awk -v b="${bytes_in[$label]}" 'BEGIN {print b / 1e6}')" \
    "${median[$label]}" "$mbs" "$flag"
done
echo
printf '%-42s %10s %8s  %s\n' "target" "measured" "goal" "result"
printf '%-42s %10s %8s  %s\n' "------" "--------" "----" "------"
printf '%s\n' "${checks[@]}"
echo
echo "note: the machine is shared ($(nproc) cores, other work may be running): a FAIL near its goal"
echo "      is worth a rerun before it is worth a profile. The script never fails on FAIL rows."
for n in "${notes[@]+"${notes[@]}"}"; do echo "note: $n"; done
