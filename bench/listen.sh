#!/usr/bin/env bash
# bench/listen.sh: `smarthook listen` under attack and failure, on 127.0.0.1, with the
# figures the project promises:
#   1. 3,000 idle connections that each declare a 1 MiB body and send one byte:
#      peak RSS of listen (VmHWM), which must stay under 150 MB, also when they are
#      unsigned posts to a listen with --secret-env;
#   2. --max-body 512MiB and 14 connections that declare 512 MiB and send as fast as
#      they can for a while: listen must still be alive, with its peak RSS;
#   3. Python's urllib posting 2 MB and 10 MB bodies over a 1 MiB limit: how many see
#      the 413 (not a connection reset);
#   4. the outbox: 3,000 hooks posted while the forward target is down for 10 s, then
#      answering 500 on 30% of requests: how many were delivered (go test, full size).
# Needs python3 and a file-descriptor limit above 3,100 (ulimit -n).
#
#   bench/listen.sh            # a few minutes
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
cleanup() { # the listens started (in subshells, so their pids are kept in a file)
  [ -f "$tmp/pids" ] && while read -r p; do kill "$p" 2>/dev/null || true; done <"$tmp/pids"
  rm -rf "$tmp"
}
trap cleanup EXIT
go build -o "$tmp/smarthook" ./cmd/smarthook

# start_listen PORTFILE ARGS...: starts listen on a free port, prints its pid and port.
start_listen() {
  "$tmp/smarthook" listen --addr 127.0.0.1:0 --view none "$@" 2>"$tmp/err.$$" &
  local pid=$! port=""
  for _ in $(seq 100); do
    port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/err.$$")
    [ -n "$port" ] && break
    sleep 0.1
  done
  echo "$pid" >>"$tmp/pids"
  echo "$pid $port"
}

hwm() { awk '/VmHWM/ {printf "%.1f MB", $2/1024}' "/proc/$1/status"; }

idle() { # idle LABEL ARGS...: 3,000 idle connections against listen started with ARGS
  local label=$1; shift
  read -r pid port < <(start_listen "$@")
  python3 - "$port" 3000 1048576 <<'EOF'
import socket, sys, time
port, n, declared = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
socks = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n{" % declared)
    socks.append(s)
time.sleep(3)
EOF
  echo "1. 3,000 idle connections declaring 1 MiB$label: peak RSS $(hwm "$pid") (limit 150 MB)"
  kill "$pid"
}
idle "" --max-body 1MiB
BENCH_SECRET=s3cret idle ", unsigned, with --secret-env" --max-body 1MiB --secret-env BENCH_SECRET

read -r pid port < <(start_listen --max-body 512MiB)
python3 - "$port" <<'EOF'
import socket, sys, threading, time
port = int(sys.argv[1])
chunk = b" " * (1 << 20)
def send():
    try:
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % (512 << 20))
        end = time.time() + 8
        while time.time() < end:
            s.sendall(chunk)
    except OSError:
        pass
ts = [threading.Thread(target=send) for _ in range(14)]
for t in ts: t.start()
for t in ts: t.join()
EOF
if kill -0 "$pid" 2>/dev/null; then alive=alive; else alive=DEAD; fi
echo "2. --max-body 512MiB, 14 connections sending 8 s each: listen $alive, peak RSS $(hwm "$pid")"
kill "$pid" 2>/dev/null || true

read -r pid port < <(start_listen --max-body 1MiB)
python3 - "$port" <<'EOF'
import sys, urllib.request, urllib.error, collections
url = "http://127.0.0.1:%s/" % sys.argv[1]
for size in (2 << 20, 10 << 20):
    seen = collections.Counter()
    for _ in range(20):
        req = urllib.request.Request(url, data=b"x" * size, headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(req, timeout=30); seen["2xx"] += 1
        except urllib.error.HTTPError as e:
            seen[str(e.code)] += 1
        except Exception as e:
            seen[type(e).__name__] += 1
    print("3. urllib, %d MB bodies over a 1 MiB limit, 20 posts: %s" % (size >> 20, dict(seen)))
EOF
kill "$pid"

echo "4. outbox burst (3,000 hooks, target down 10 s, then 30% answered 500):"
SMARTHOOK_FULL=1 go test -count=1 -v -timeout 10m -run '^TestForwardBurstTargetDownThenFlaky$' ./internal/listen/ 2>&1 |
  grep -E '^(---|    outbox_test)' || true
