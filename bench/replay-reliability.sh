#!/usr/bin/env bash
# bench/replay-reliability.sh: replay under failure, end to end. 10,000 generated chats
# (smarthook fake) go to a receiver on 127.0.0.1 that fails 30% of requests: 500, 429
# with Retry-After: 1, dropped connections, and answers slower than --timeout. The
# replay runs as a process of its own with --journal and --failed-out, is killed with
# SIGKILL after 3,000 deliveries, and is resumed with --resume. The test then checks
#   - every chat was accepted by the receiver at least once, or is in --failed-out;
#   - the journal has a final line for every chat, and each final 2xx is one the
#     receiver really accepted (a line cut by the kill is tolerated);
#   - chats sent twice are no more than the requests in flight at the kill;
#   - --failed-out replays cleanly to a healthy receiver.
# The same test with 300 chats runs in every `go test ./...` (TestReplayReliability).
#
#   bench/replay-reliability.sh          # about a minute
set -euo pipefail
cd "$(dirname "$0")/.."
SMARTHOOK_LONG_TESTS=1 go test -count=1 -v -timeout 15m -run '^TestReplayReliability(Long)?$' ./internal/cli/ |
  grep -v '^=== RUN'
