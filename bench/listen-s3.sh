#!/bin/sh
# Posts the same hooks (2,000; SMARTHOOK_BENCH_LISTEN_N to change) from 16 clients to
# listen --dir on disk (each file synced) and --dir s3:// (an in-process S3 server,
# gofakes3 on 127.0.0.1: two PUTs per hook), and prints both rates and their ratio.
set -eu
cd "$(dirname "$0")/.."
SMARTHOOK_BENCH_LISTEN_S3=1 go test -count=1 -run '^TestListenS3VsDir$' -v ./internal/listen/ 2>&1 | grep -E 'hooks/s|FAIL|ok '
