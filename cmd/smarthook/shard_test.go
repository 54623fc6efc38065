package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/testutil"
)

// shardData writes hooks, webhooks and stats reports as NDJSON and a tar.gz of .json
// files into dir and returns the paths.
func shardData(t *testing.T, dir string) []string {
	t.Helper()
	var nd []byte
	for _, kind := range []fake.Kind{fake.KindHook, fake.KindWebhook, fake.KindStats} {
		g := fake.New(fake.Options{Seed: 11, Kind: kind})
		for i := range 200 {
			nd = append(g.Append(nd, i), '\n')
		}
	}
	for i := range 30 { // findings for validate: broken text and chats without messages
		nd = fmt.Appendf(nd, "{\"accountId\":%d,\"channel\":{\"id\":%d}}\n{\"accountId\": %d, broken\n", i, i, i)
	}
	g := fake.New(fake.Options{Seed: 12})
	var names []string
	var contents [][]byte
	for i := range 40 {
		names = append(names, fmt.Sprintf("2026/01/%02d.json", i))
		contents = append(contents, g.Append(nil, i))
	}
	var tgz bytes.Buffer
	if err := writeTarGz(&tgz, names, contents); err != nil {
		t.Fatal(err)
	}
	paths := []string{filepath.Join(dir, "mix.ndjson"), filepath.Join(dir, "old.tgz")}
	if err := os.WriteFile(paths[0], nd, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(paths[1], tgz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return paths
}

// shardSetup builds smarthook and writes the test data (skipped with -short).
func shardSetup(t *testing.T) (bin, dir string, paths []string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds smarthook and runs it many times")
	}
	bin = testutil.BuildSmarthook(t)
	dir = t.TempDir()
	return bin, dir, shardData(t, dir)
}

// runShards runs args with --shard I/4 for I = 0…3 as four processes at once (through
// GNU parallel when it is installed) and returns their standard outputs, one after
// the other.
func runShards(t *testing.T, bin, dir string, args []string) string {
	t.Helper()
	if parallel, err := exec.LookPath("parallel"); err == nil {
		line := append([]string{parallel, "--will-cite", "-j4", bin}, args...)
		line = append(line, "--shard", "{}/4", ":::", "0", "1", "2", "3")
		return string(runIn(t, dir, nil, line...))
	}
	outs := make([][]byte, 4)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i] = runIn(t, dir, nil, append([]string{bin}, append(slices.Clone(args), "--shard", fmt.Sprintf("%d/4", i))...)...)
		}()
	}
	wg.Wait()
	return string(bytes.Join(outs, nil))
}

// runIn runs a command in dir with extra environment and returns its standard output.
// Findings in the data make validate exit 1 and query 5; a usage error fails the test.
func runIn(t *testing.T, dir string, env []string, argv ...string) []byte {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1", "SMARTHOOK_REDACT_KEY=shard-test-key-0123456789abcdef01"), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() == 2) {
		t.Errorf("%s: %v\n%s", strings.Join(argv, " "), err, stderr.Bytes())
	}
	return out
}

func sortedLines(s string) []string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	slices.Sort(lines)
	return lines
}

// Four shards run as separate processes write, together, exactly what one run writes.
func TestShardsAsProcesses(t *testing.T) {
	bin, dir, paths := shardSetup(t)
	for _, args := range [][]string{
		{"query", "-c", "."},
		{"validate", "--format", "json"},
		{"convert", "--to", "ndjson", "--rows", "messages"},
		{"convert", "--to", "csv", "--rows", "events", "--no-header"},
		{"redact"},
	} {
		args = append(args, paths...)
		whole := string(runIn(t, dir, nil, append([]string{bin}, args...)...))
		if strings.Count(whole, "\n") < 60 {
			t.Fatalf("%s: only %d lines", strings.Join(args, " "), strings.Count(whole, "\n"))
		}
		sharded := runShards(t, bin, dir, args)
		if !slices.Equal(sortedLines(whole), sortedLines(sharded)) {
			t.Errorf("%s: 4 shards wrote other lines than one run (%d vs %d bytes)", strings.Join(args, " "), len(sharded), len(whole))
		}
	}
}

// --shard-count takes the shard's index from JOB_COMPLETION_INDEX, as a Kubernetes
// Indexed Job sets it.
func TestShardFromIndexedJob(t *testing.T) {
	bin, dir, paths := shardSetup(t)
	for i := range 3 {
		args := append([]string{bin, "query", "-c", "."}, paths...)
		byEnv := runIn(t, dir, []string{fmt.Sprintf("JOB_COMPLETION_INDEX=%d", i)}, append(args, "--shard-count", "3")...)
		byFlag := runIn(t, dir, nil, append(args, "--shard", fmt.Sprintf("%d/3", i))...)
		if len(byEnv) == 0 || !bytes.Equal(byEnv, byFlag) {
			t.Errorf("shard %d: JOB_COMPLETION_INDEX gave %d bytes, --shard %d", i, len(byEnv), len(byFlag))
		}
	}
	cmd := exec.Command(bin, "query", "-c", ".", "--shard-count", "3", paths[0])
	cmd.Env = append(os.Environ(), "JOB_COMPLETION_INDEX=")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "JOB_COMPLETION_INDEX") {
		t.Errorf("--shard-count with an empty JOB_COMPLETION_INDEX: %v, %s", err, out)
	}
}
