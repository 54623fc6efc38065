package render

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestSummaryGolden(t *testing.T) {
	var out bytes.Buffer
	table := NewSummaryTable(&out, 0)
	for _, in := range []string{"doc-example.json", "missed.json", "offline.json", "edge.json", "webhook-rated.json", "stats.json"} {
		row := Summarize(decode(t, input(t, in)), time.UTC)
		row.Origin = in
		if err := table.Add(row); err != nil {
			t.Fatal(err)
		}
	}
	if out.Len() != 0 {
		t.Fatalf("the table was written before Flush with %d rows pending", 6)
	}
	if err := table.Flush(); err != nil {
		t.Fatal(err)
	}
	golden(t, "summary.txt", out.Bytes())
}

func TestSummaryRow(t *testing.T) {
	row := Summarize(decode(t, input(t, "doc-example.json")), time.UTC)
	want := SummaryRow{Chat: "55039", Begin: "2015-03-27T15:33:59Z", Duration: "36s", Messages: "6", Visitor: "Dusan Kmet", Rating: "5", Flags: "triggered"}
	if row != want {
		t.Errorf("got  %+v\nwant %+v", row, want)
	}
	cells := (&SummaryRow{Origin: "x", Visitor: strings.Repeat("é", 40) + "\nnext"}).cells()
	if cells[1] != "-" || width(cells[5]) != maxVisitor || strings.Contains(cells[5], "\n") {
		t.Errorf("cells = %q: empty cells must be \"-\", the visitor cut to %d columns on one line", cells, maxVisitor)
	}
}

// TestSummaryChunks checks that the table holds at most a chunk of rows: with a chunk
// of 2, five rows make three tables, the first two written before Flush.
func TestSummaryChunks(t *testing.T) {
	var out bytes.Buffer
	table := NewSummaryTable(&out, 2)
	row := Summarize(decode(t, input(t, "doc-example.json")), time.UTC)
	for i := range 5 {
		row.Origin = "doc" + string(rune('0'+i))
		if err := table.Add(row); err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Count(out.String(), "ORIGIN"), (i+1)/2; got != want {
			t.Fatalf("after %d rows: %d tables written, want %d", i+1, got, want)
		}
	}
	if err := table.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(out.String(), "ORIGIN"); got != 3 {
		t.Errorf("%d tables, want 3", got)
	}
	for i := range 5 {
		if !strings.Contains(out.String(), "doc"+string(rune('0'+i))) {
			t.Errorf("row doc%d is missing", i)
		}
	}
	// Flushing again writes nothing more.
	n := out.Len()
	if err := table.Flush(); err != nil || out.Len() != n {
		t.Errorf("a second Flush wrote %d bytes (%v)", out.Len()-n, err)
	}
}
