#!/bin/sh
# Reads the same NDJSON (300 MB; SMARTHOOK_BENCH_S3_MB to change) from disk and from an
# in-process S3 server (gofakes3 on 127.0.0.1) through the input core, and prints both
# rates and the S3/disk time ratio. The in-memory server's own cost is part of the S3 figure.
set -eu
cd "$(dirname "$0")/.."
SMARTHOOK_BENCH_S3=1 go test -count=1 -run '^TestS3ReadVsDisk$' -v ./internal/input/ 2>&1 | grep -E 'MB, |FAIL|ok '
