#!/usr/bin/env bash
# huge.sh: time and measure peak memory of smarthook on hostile and huge inputs, side by
# side with `jq empty`, and print the ratios the input core must reach.
#
#   bench/huge.sh               # 200 MB single-line document, 200 MB array, bombs
#   bench/huge.sh --size 1000   # documents of this many MB instead of 200
#   bench/huge.sh --bin PATH    # measure this smarthook binary instead of building one
#
# Cases: validate of one huge single-line document (a file, stdin from the file, stdin
# through a pipe, and gzipped: the last two of unknown size); validate of a
# top-level array of payloads (element by element); pretty/query of deeply nested
# documents; a gzip bomb and /dev/zero named x.json (must end with an error, < 1 GB).
# FAIL rows do not fail the script: timings on a shared machine are not a verdict.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
data="$here/data/huge"
size=200 bin=""
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size="${2:?--size needs MB}"; shift ;;
    --bin) bin="${2:?--bin needs a path}"; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "huge.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
for tool in jq python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "huge.sh: $tool is needed (apt-get install jq python3 time)" >&2; exit 2; }
done
mkdir -p "$data"
if [ -z "$bin" ]; then
  bin="$data/smarthook"
  (cd "$repo" && go build -o "$bin" ./cmd/smarthook)
fi

# gen FILE KIND: one generated input, kept between runs.
gen() {
  [ -s "$1" ] && return
  python3 - "$1" "$2" "$size" <<'EOF'
import gzip, sys
path, kind, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
n = mb << 20
msg = '{"type":"visitor","content":"hello, this is a message of a chat of some length","sentAt":1427470439703}'
hook = ('{"accountId":208,"beginAt":1427470439703,"endAt":1427470476687,"channel":{"id":%d},'
        '"messages":[' + ','.join([msg] * 20) + ']}')
if kind == "line":  # one document on one line: a chat with a huge messages array
    with open(path, "w") as f:
        f.write('{"accountId":208,"beginAt":1427470439703,"endAt":1427470476687,"channel":{"id":5},"messages":[')
        count = n // (len(msg) + 1)
        f.write(",".join([msg] * count))
        f.write("]}\n")
elif kind == "string":  # one document on one line: one huge string
    with open(path, "w") as f:
        f.write('{"accountId":208,"beginAt":1427470439703,"endAt":1427470476687,"channel":{"id":5},'
                '"messages":[{"type":"visitor","content":"' + "x" * n + '","sentAt":1427470439703}]}\n')
elif kind == "array":  # a REST export: a top-level array of payloads, pretty-ish
    with open(path, "w") as f:
        f.write("[\n")
        i, written = 0, 0
        while written < n:
            s = ("  " if i == 0 else ",\n  ") + hook % i
            f.write(s)
            written += len(s)
            i += 1
        f.write("\n]\n")
elif kind == "deep":  # documents nested to the limit, one a line, 200 KB
    with open(path, "w") as f:
        for _ in range(100):
            f.write("[" * 1000 + "]" * 1000 + "\n")
elif kind == "bomb":  # 16 GiB of one string, gzipped to a few MB
    chunk = b"0" * (1 << 24)
    with gzip.open(path, "wb", compresslevel=9) as f:
        f.write(b'{"a":"')
        for _ in range(1024):
            f.write(chunk)
EOF
}

# measure LABEL CMD: prints "seconds peak_kb" of one run (output to /dev/null).
measure() {
  local f; f=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$f" bash -c "exec $2" >/dev/null 2>&1 || true
  local r; r=$(tail -1 "$f"); rm -f "$f"
  printf '%-52s %8s s %8d MB\n' "$1" "${r% *}" "$(( ${r#* } / 1024 ))" >&2
  echo "$r"
}

# ratio NAME TARGET OURS ANCHOR: OURS/ANCHOR time, checked against TARGET (<=x).
ratio() {
  awk -v n="$1" -v t="$2" -v a="$3" -v b="$4" 'BEGIN {
    r = (b > 0) ? a / b : 0; ok = (r <= t) ? "ok" : "FAIL"
    printf "%-52s %6.2fx (target <= %sx)  %s\n", n, r, t, ok }'
}

# memcheck NAME MAX_MB KB
memcheck() {
  awk -v n="$1" -v m="$2" -v k="$3" 'BEGIN {
    mb = k / 1024; ok = (mb <= m) ? "ok" : "FAIL"
    printf "%-52s %6.0f MB (target <= %d MB)  %s\n", n, mb, m, ok }'
}

echo "huge.sh: documents of $size MB; load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)"
line="$data/line-$size.json" str="$data/string-$size.json" arr="$data/array-$size.json"
deep="$data/deep.ndjson" bomb="$data/bomb.json.gz"
for k in line:"$line" string:"$str" array:"$arr" deep:"$deep" bomb:"$bomb"; do gen "${k#*:}" "${k%%:*}"; done
ln -sf /dev/zero "$data/zero.json"
docmb=$(( $(stat -c %s "$line") >> 20 ))
limit=$(( docmb * 3 / 2 + 64 ))

echo "--- one huge single-line document"
for f in "$line" "$str"; do
  name=$(basename "$f")
  read -r jt _ < <(measure "jq empty $name" "jq empty '$f'")
  read -r st sk < <(measure "smarthook validate -q $name" "'$bin' validate -q '$f'")
  read -r it ik < <(measure "smarthook validate -q - < $name" "'$bin' validate -q - < '$f'")
  # Of unknown size: through a pipe, and gzipped (its decompressed size unknown).
  [ -s "$f.gz" ] || gzip -1 -c "$f" > "$f.gz"
  read -r pt pk < <(measure "cat $name | smarthook validate -q -" "cat '$f' | '$bin' validate -q -")
  read -r jzt _ < <(measure "zcat $name.gz | jq empty" "zcat '$f.gz' | jq empty")
  read -r zt zk < <(measure "smarthook validate -q $name.gz" "'$bin' validate -q '$f.gz'")
  ratio "validate $name vs jq empty (time)" 1.5 "$st" "$jt"
  ratio "validate - < $name vs jq empty (time)" 1.5 "$it" "$jt"
  ratio "cat $name | validate - vs jq empty (time)" 1.5 "$pt" "$jt"
  ratio "validate $name.gz vs zcat | jq empty (time)" 1.5 "$zt" "$jzt"
  memcheck "validate $name peak RSS (1.5 x doc + 64 MB)" "$limit" "$sk"
  memcheck "validate - < $name peak RSS (1.5 x doc + 64 MB)" "$limit" "$ik"
  memcheck "cat $name | validate - peak RSS (1.5 x doc + 64 MB)" "$limit" "$pk"
  memcheck "validate $name.gz peak RSS (1.5 x doc + 64 MB)" "$limit" "$zk"
done

echo "--- a top-level array of payloads, element by element"
name=$(basename "$arr")
read -r jt _ < <(measure "jq empty $name" "jq empty '$arr'")
read -r st sk < <(measure "smarthook validate -q $name" "'$bin' validate -q '$arr'")
read -r ct ck < <(measure "smarthook convert $name" "'$bin' convert '$arr'")
ratio "validate $name vs jq empty (time)" 1.0 "$st" "$jt"
memcheck "validate $name peak RSS (flat)" 100 "$sk"
memcheck "convert $name peak RSS (flat)" 100 "$ck"

echo "--- output of deeply nested documents (100 x 1000 levels, 200 KB)"
read -r _ pk < <(measure "smarthook pretty deep.ndjson" "'$bin' pretty '$deep'")
read -r _ qk < <(measure "smarthook query . deep.ndjson" "'$bin' query . '$deep'")
memcheck "pretty deep.ndjson peak RSS" 100 "$pk"
memcheck "query . deep.ndjson peak RSS" 100 "$qk"

echo "--- bombs: must end with an error, under 1 GB"
read -r _ bk < <(measure "smarthook validate bomb.json.gz (16 GiB inside)" "'$bin' validate -q '$bomb'")
read -r _ zk < <(measure "smarthook validate zero.json (/dev/zero)" "'$bin' validate -q '$data/zero.json'")
memcheck "validate bomb.json.gz peak RSS" 1024 "$bk"
memcheck "validate zero.json peak RSS" 1024 "$zk"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)"
