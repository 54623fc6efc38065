// Command sink is a webhook receiver for benchmarking and testing smarthook replay on
// this machine (it listens on 127.0.0.1 only). It is a developer tool, not part of the
// smarthook binary:
//
//	go run ./internal/replay/testdata/sink -addr 127.0.0.1:8089            # answers 204
//	go run ./internal/replay/testdata/sink -fail 0.3 -slow 2s -record d.txt # a flaky one
//
// It prints its URL on stdout once it listens, and on SIGINT or SIGTERM prints its
// counts on stderr and, with -record, writes the SHA-256 of every accepted body (one
// hex line each, repeated as often as it was accepted) to the file.
package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/smarthook/smarthook/internal/replay/replaytest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (127.0.0.1 only)")
	fail := flag.Float64("fail", 0, "share of requests that fail: 500, 429, dropped connection, slow answer")
	slow := flag.Duration("slow", 2*time.Second, "how late a slow answer comes")
	retryAfter := flag.String("retry-after", "1", "Retry-After of a 429")
	record := flag.String("record", "", "write the SHA-256 of each accepted body to this file at exit")
	seed := flag.Uint64("seed", 1, "seed of the failure choice")
	flag.Parse()
	if err := run(*addr, replaytest.Config{FailRate: *fail, Slow: *slow, RetryAfter: *retryAfter, Seed: *seed, Record: *record != ""}, *record); err != nil {
		fmt.Fprintln(os.Stderr, "sink:", err)
		os.Exit(1)
	}
}

func run(addr string, cfg replaytest.Config, record string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host != "127.0.0.1" {
		return fmt.Errorf("listen on 127.0.0.1 only, got %q", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	sink := replaytest.New(cfg)
	srv := &http.Server{Handler: sink, ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("http://%s/hook\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		return err
	}
	fmt.Fprintf(os.Stderr, "sink: %d requests, %d accepted, failed: %d 500, %d 429, %d dropped, %d slow\n",
		sink.Requests(), sink.Accepted(), sink.Failed(replaytest.Fail500), sink.Failed(replaytest.Fail429),
		sink.Failed(replaytest.FailDrop), sink.Failed(replaytest.FailSlow))
	if record == "" {
		return nil
	}
	return writeRecord(record, sink.Delivered())
}

func writeRecord(name string, delivered map[[32]byte]int) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for sum, n := range delivered {
		for range n {
			fmt.Fprintln(w, hex.EncodeToString(sum[:]))
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
