package convert

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
	"github.com/smarthook/smarthook/internal/testutil"
)

// samplesDir holds the repository's sample payloads.
var samplesDir = filepath.Join("..", "..", "testdata", "samples")

// readSample returns the documents of a sample file: one per line for .ndjson, the whole
// file otherwise.
func readSample(t *testing.T, name string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(samplesDir, name))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(name, ".ndjson") {
		return [][]byte{data}
	}
	var docs [][]byte
	for _, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) > 0 {
			docs = append(docs, line)
		}
	}
	return docs
}

// convertDocs runs the conversion the way the convert command does, without its input
// pipeline: the header, then the rows of each document of the row kind's document kind.
// Documents with errors fail the test.
func convertDocs(t testing.TB, f Format, rows string, names []string, all bool, docs [][]byte) []byte {
	t.Helper()
	rk, err := LookupRowKind(rows)
	if err != nil {
		t.Fatal(err)
	}
	f = checkedFormat(t, f)
	var dec payload.Decoder
	decode := func(i int) *payload.Doc {
		t.Helper()
		doc, fs := dec.Decode(docs[i])
		for _, fd := range fs {
			if fd.Severity == rules.Error {
				t.Fatalf("document %d: %v", i, fd)
			}
		}
		return doc
	}
	var keys []string
	if all {
		seen := map[string]bool{}
		for i := range docs {
			if doc := decode(i); doc.Kind == payload.KindHook {
				keys = VariableKeys(keys, seen, doc)
			}
		}
	}
	cols, err := rk.Select(names, all, keys)
	if err != nil {
		t.Fatal(err)
	}
	enc := NewEncoder(cols, f)
	out := enc.AppendHeader(nil)
	var row Row
	for i := range docs {
		out, _ = enc.AppendRows(out, rk, &row, decode(i))
	}
	return out
}

func TestGolden(t *testing.T) {
	csv := Format{To: "csv", Time: "rfc3339"}
	tests := []struct {
		golden  string // file under testdata/
		sample  string // file under testdata/samples/ at the repository root
		rows    string
		all     bool
		columns []string
		f       Format
	}{
		{golden: "doc-example.chats.csv", sample: "doc-example.json", rows: "chats", f: csv},
		{golden: "doc-example.messages.csv", sample: "doc-example.json", rows: "messages", f: csv},
		{golden: "doc-example.paths.csv", sample: "doc-example.json", rows: "paths", f: csv},
		{golden: "doc-example.variables.csv", sample: "doc-example.json", rows: "variables", f: csv},
		{golden: "doc-example.chats-all.csv", sample: "doc-example.json", rows: "chats", all: true, f: csv},
		{golden: "doc-example.messages.tsv", sample: "doc-example.json", rows: "messages", f: Format{To: "tsv", Time: "rfc3339"}},
		{golden: "chats.chats.csv", sample: "chats.ndjson", rows: "chats", f: csv},
		{golden: "chats.messages.csv", sample: "chats.ndjson", rows: "messages", f: csv},
		{golden: "chats.paths.csv", sample: "chats.ndjson", rows: "paths", f: csv},
		{golden: "chats.variables.csv", sample: "chats.ndjson", rows: "variables", f: csv},
		{golden: "chats.chats-all.csv", sample: "chats.ndjson", rows: "chats", all: true, f: csv},
		{golden: "chats.messages.tsv", sample: "chats.ndjson", rows: "messages", f: Format{To: "tsv", Time: "rfc3339"}},
		{golden: "chats.messages.ndjson", sample: "chats.ndjson", rows: "messages", f: Format{To: "ndjson", Time: "rfc3339"}},
		{golden: "chats.chats-columns-ms.csv", sample: "chats.ndjson", rows: "chats",
			columns: []string{"channel.id", "endAt", "visitor.variables.userId.value", "visitor.variables.cartValue.label", "channel.rating"},
			f:       Format{To: "csv", Time: "ms", Delimiter: ';'}},
		{golden: "webhooks.events.csv", sample: "webhooks.ndjson", rows: "events", f: csv},
		{golden: "webhooks.events-all.csv", sample: "webhooks.ndjson", rows: "events", all: true, f: csv},
		{golden: "stats.domains.csv", sample: "stats.json", rows: "domains", f: csv},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			got := convertDocs(t, tt.f, tt.rows, tt.columns, tt.all, readSample(t, tt.sample))
			checkGolden(t, filepath.Join("testdata", tt.golden), got)
		})
	}
}

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	testutil.Golden(t, path, got)
}
