#!/usr/bin/env bash
# folder.sh: the folder case of the performance table, alone and with CPU time: validate
# 20,000 pretty .json files (one chat each) against the same chats as one NDJSON file,
# and print wall and CPU (user+sys) medians and their ratios; the goal is at most 1.5x.
#
#   bench/folder.sh                      # build the binary from this tree, 9 runs each
#   bench/folder.sh --runs 15            # more runs (the medians steady on a busy machine)
#   bench/folder.sh --bin A --bin B      # time several binaries (e.g. before and after),
#                                        # interleaved so that load hits each alike
#   bench/folder.sh -n 2000              # another number of chats
#
# Wall time on a shared 2-core machine is noisy; CPU time (user+sys, from GNU time) is
# what a change of the per-file work moves, so both are printed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
runs=9 n=20000 bins=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift ;;
    --bin) bins+=("${2:?--bin needs a path}"); shift ;;
    -n) n="${2:?-n needs a number}"; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "folder.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$runs$n" in *[!0-9]*) echo "folder.sh: --runs and -n take numbers" >&2; exit 2 ;; esac
[ -x /usr/bin/time ] || { echo "folder.sh: needs GNU time (apt-get install time)" >&2; exit 3; }

data="$here/data/folder-$n"
mkdir -p "$data"
if [ ${#bins[@]} -eq 0 ]; then
  echo "building $data/smarthook" >&2
  (cd "$repo" && go build -o "$data/smarthook" ./cmd/smarthook)
  bins=("$data/smarthook")
fi
gen=${bins[0]}
if [ ! -f "$data/.complete" ]; then
  echo "generating $n chats in $data" >&2
  rm -rf "$data/chats" "$data/chats.ndjson"
  "$gen" fake -n "$n" --seed 2 >"$data/chats.ndjson"
  "$gen" fake -n "$n" --seed 2 --out "$data/chats" --pretty 2>/dev/null
  touch "$data/.complete"
fi
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2

# one BIN INPUT: "wall cpu" of one run of validate -q (output discarded).
one() {
  local f
  f=$(mktemp)
  /usr/bin/time -f '%e %U %S' -o "$f" "$1" validate -q "$2" >/dev/null 2>&1 || true
  awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$f"
  rm -f "$f"
}

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

declare -A walls cpus
for b in "${bins[@]}"; do one "$b" "$data/chats" >/dev/null; one "$b" "$data/chats.ndjson" >/dev/null; done # warm the page cache
for ((i = 0; i < runs; i++)); do
  for b in "${bins[@]}"; do
    for in in chats chats.ndjson; do
      read -r w c < <(one "$b" "$data/$in")
      walls[$b,$in]+="$w "
      cpus[$b,$in]+="$c "
    done
  done
done

printf '%-28s %-14s %8s %8s\n' "binary" "input" "wall s" "cpu s"
for b in "${bins[@]}"; do
  declare -A mw=() mc=()
  for in in chats chats.ndjson; do
    mw[$in]=$(tr ' ' '\n' <<<"${walls[$b,$in]}" | grep . | median)
    mc[$in]=$(tr ' ' '\n' <<<"${cpus[$b,$in]}" | grep . | median)
    printf '%-28s %-14s %8s %8s\n' "$(basename "$b")" "$in" "${mw[$in]}" "${mc[$in]}"
  done
  awk -v a="${mw[chats]}" -v b="${mw[chats.ndjson]}" -v c="${mc[chats]}" -v d="${mc[chats.ndjson]}" -v name="$(basename "$b")" \
    'BEGIN {r = a / b; printf "%-28s folder/NDJSON: wall %.2fx (goal <= 1.5x: %s), cpu %.2fx\n", name, r, (r <= 1.5) ? "PASS" : "FAIL", c / d}'
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); medians of $runs runs" >&2
