# duckdb-setup.sh: what the scripts that time smarthook against DuckDB share, sourced
# after they set $here, $quick, $bin and $script (their name, for messages) and parse
# their arguments: the tools they need, the binary (built unless --bin), the generated
# NDJSON ($file, the same as bench/compare.sh's), and @duckdb/node-api in bench/.node/.
# Extra tools a script needs go in $extra_tools.

repo=$(cd "$here/.." && pwd)
data="$here/data"
node_dir="$here/.node"
duckdb_version="1.5.6-r.1"

for tool in go node npm ${extra_tools:-}; do
  command -v "$tool" >/dev/null || { echo "$script: $tool is needed" >&2; exit 3; }
done
[ -x /usr/bin/time ] || { echo "$script: /usr/bin/time is needed (apt-get install time)" >&2; exit 3; }

if [ "$quick" = 1 ]; then set_name=quick n=13500; else set_name=full n=135000; fi
mkdir -p "$data/$set_name"
if [ -z "$bin" ]; then
  bin="$data/smarthook"
  (cd "$repo" && go build -o "$bin" ./cmd/smarthook)
fi
file="$data/$set_name/hooks.ndjson" # the same file as bench/compare.sh
if [ ! -s "$file" ]; then
  echo "generating $file ($n hooks)" >&2
  "$bin" fake -n "$n" --seed 1 >"$file"
fi
if [ ! -d "$node_dir/node_modules/@duckdb/node-api" ]; then
  echo "installing @duckdb/node-api@$duckdb_version into $node_dir" >&2
  mkdir -p "$node_dir"
  npm install --prefix "$node_dir" --no-audit --no-fund --silent "@duckdb/node-api@$duckdb_version" >&2
fi
