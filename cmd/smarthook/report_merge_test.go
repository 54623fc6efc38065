package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// mergeShards runs args as 4 shards, each writing its output (and with stderrReport,
// its stderr) into a file, and returns the output of `report merge` over the files.
func mergeShards(t *testing.T, bin, dir string, args []string) string {
	t.Helper()
	var files []string
	for i := range 4 {
		name := filepath.Join(dir, fmt.Sprintf("shard%d.json", i))
		out := runIn(t, dir, nil, append(append([]string{bin}, args...), "--shard", fmt.Sprintf("%d/4", i))...)
		if err := os.WriteFile(name, out, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	return string(runIn(t, dir, nil, append([]string{bin, "report", "merge"}, files...)...))
}

// lastLine is the last line of s.
func lastLine(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// The reports of 4 shards merge into the report of one run, byte for byte; validate's
// findings come through too.
func TestReportMergeEqualsOneRun(t *testing.T) {
	bin, dir, paths := shardSetup(t)
	out := filepath.Join(dir, "rows.csv")
	for _, args := range [][]string{
		{"validate", "--format", "json", "--report", "json"},
		{"convert", "--to", "csv", "--rows", "messages", "--report", "json", "-o", out, "--force"},
	} {
		args = append(args, paths...)
		whole := string(runIn(t, dir, nil, append([]string{bin}, args...)...))
		if !strings.Contains(lastLine(whole), `"report":"`+args[0]+`"`) {
			t.Fatalf("%s: no report at the end: %q", args[0], lastLine(whole))
		}
		merged := mergeShards(t, bin, dir, args)
		if lastLine(merged) != lastLine(whole) {
			t.Errorf("%s: merged report\n%s\none run\n%s", args[0], lastLine(merged), lastLine(whole))
		}
		if strings.Join(sortedLines(merged), "\n") != strings.Join(sortedLines(whole), "\n") {
			t.Errorf("%s: merged output differs from one run's", args[0])
		}
	}
}

// Replay reports of 4 shards against a local receiver add up to one run's counts,
// with one histogram holding every request.
func TestReportMergeReplay(t *testing.T) {
	bin, dir, paths := shardSetup(t)
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if hits.Add(1)%10 == 0 {
			w.WriteHeader(http.StatusBadRequest) // a permanent failure: not retried
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	args := []string{"replay", "--report", "json", "--send-invalid", srv.URL + "/hook", paths[0]}
	whole := runIn(t, dir, nil, append([]string{bin}, args...)...)
	merged := mergeShards(t, bin, dir, args)
	var one, all struct {
		Documents, Delivered, Failed, Requests int
		Histogram                              struct{ Counts [][2]uint64 } `json:"latency_histogram"`
	}
	if err := json.Unmarshal(whole, &one); err != nil {
		t.Fatalf("%v: %s", err, whole)
	}
	if err := json.Unmarshal([]byte(lastLine(merged)), &all); err != nil {
		t.Fatalf("%v: %s", err, merged)
	}
	total := uint64(0)
	for _, c := range all.Histogram.Counts {
		total += c[1]
	}
	if all.Documents != one.Documents || all.Documents < 600 || all.Delivered+all.Failed != one.Delivered+one.Failed ||
		all.Requests != one.Requests || total != uint64(all.Requests) {
		t.Errorf("merged %+v (histogram %d), one run %+v", all, total, one)
	}
}
