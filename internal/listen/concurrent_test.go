package listen

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

const (
	concurrentBodies  = 2000
	concurrentClients = 32
)

// postAll posts every body from clients goroutines and fails on any answer but 204.
func postAll(t *testing.T, url string, bodies [][]byte, clients int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(bodies))
	next := make(chan []byte)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range next {
				resp, err := client.Post(url, "application/json", bytes.NewReader(b))
				if err != nil {
					errs <- err
					continue
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusNoContent {
					errs <- errors.New(resp.Status)
				}
			}
		}()
	}
	for _, b := range bodies {
		next <- b
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("a post failed: %v", err)
	}
}

// multiset counts byte strings.
func multiset(items [][]byte) map[string]int {
	m := make(map[string]int, len(items))
	for _, it := range items {
		m[string(it)]++
	}
	return m
}

func sameMultiset(t *testing.T, what string, got, want [][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d items, want %d", what, len(got), len(want))
	}
	w := multiset(want)
	for k, n := range multiset(got) {
		if w[k] != n {
			t.Fatalf("%s: an item is stored %d times, sent %d times: %.80s", what, n, w[k], k)
		}
	}
}

// TestConcurrentPostsToFiles posts 2,000 distinct hooks from 32 clients at once: each
// must be stored exactly once, byte for byte.
func TestConcurrentPostsToFiles(t *testing.T) {
	dir := t.TempDir()
	s := start(t, Options{Dir: dir})
	bodies := fakeBodies(concurrentBodies)
	postAll(t, s.url, bodies, concurrentClients)
	files := storedFiles(t, dir)
	var got [][]byte
	for name, b := range files {
		if filepath.Ext(name) != ".json" {
			t.Errorf("not a final name: %s", name)
		}
		got = append(got, b)
	}
	sameMultiset(t, "files", got, bodies)
	if st := s.Stats(); st.Accepted != concurrentBodies || st.Files != concurrentBodies {
		t.Errorf("stats: %+v", st)
	}
}

// TestConcurrentPostsToNDJSON is the same with --ndjson (and a folder, both at once).
func TestConcurrentPostsToNDJSON(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "hooks.ndjson")
	s := start(t, Options{NDJSON: name, Dir: filepath.Join(dir, "files")})
	bodies := fakeBodies(concurrentBodies)
	postAll(t, s.url, bodies, concurrentClients)
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) == 0 || data[len(data)-1] != '\n' {
		t.Fatal("the file does not end with a newline")
	}
	sameMultiset(t, "lines", bytes.Split(data[:len(data)-1], []byte("\n")), bodies)
	if n := len(storedFiles(t, filepath.Join(dir, "files"))); n != concurrentBodies {
		t.Errorf("%d files beside the NDJSON, want %d", n, concurrentBodies)
	}
	if st := s.Stats(); st.Lines != concurrentBodies {
		t.Errorf("stats: %+v", st)
	}
}
