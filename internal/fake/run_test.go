package fake

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
)

// sequentialFake is the reference: documents 0..n-1, one after another on one core.
func sequentialFake(g *Generator, n int) []byte {
	var b []byte
	for i := range n {
		b = append(g.Append(b, i), '\n')
	}
	return b
}

// TestFakeSameBytesAnyCores checks that parallel generation writes exactly the
// sequential bytes for any number of workers and counts around the chunk size.
func TestFakeSameBytesAnyCores(t *testing.T) {
	for _, kind := range []Kind{KindHook, KindWebhook, KindStats} {
		g := New(Options{Seed: 42, Kind: kind})
		for _, n := range []int{0, 1, chunk - 1, chunk, chunk + 1, 5*chunk + 17} {
			want := sequentialFake(g, n)
			for _, workers := range []int{1, 2, 3, 8, 32} {
				var out bytes.Buffer
				if err := writeNDJSON(context.Background(), g, n, &out, workers, &tally{}); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(out.Bytes(), want) {
					t.Fatalf("%s n=%d workers=%d: output differs from sequential generation", kind, n, workers)
				}
			}
		}
	}
}

type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n--; w.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestFakeStopsOnErrorAndInterrupt(t *testing.T) {
	g := New(Options{Seed: 1})
	err := writeNDJSON(context.Background(), g, 200_000, &failingWriter{n: 3}, 4, &tally{})
	if err == nil || err.Error() != "disk full" {
		t.Errorf("write error: got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := writeNDJSON(ctx, g, 200_000, io.Discard, 4, &tally{}); !errors.Is(err, context.Canceled) {
		t.Errorf("interrupted: got %v", err)
	}
}
