package render

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestTranscriptGolden(t *testing.T) {
	prague, err := time.LoadLocation("Europe/Prague")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	tests := []struct {
		name, in string
		opts     TranscriptOptions
	}{
		{"doc-example", "doc-example.json", TranscriptOptions{Location: time.UTC}},
		{"doc-example-prague", "doc-example.json", TranscriptOptions{Location: prague}},
		{"doc-example-color", "doc-example.json", TranscriptOptions{Location: time.UTC, Color: true}},
		{"missed", "missed.json", TranscriptOptions{Location: time.UTC}},
		{"offline", "offline.json", TranscriptOptions{Location: time.UTC}},
		{"edge", "edge.json", TranscriptOptions{Location: time.UTC}},
		{"webhook", "webhook.json", TranscriptOptions{Location: time.UTC}},
		{"webhook-rated", "webhook-rated.json", TranscriptOptions{Location: time.UTC}},
		{"webhook-replied", "webhook-replied.json", TranscriptOptions{Location: prague}},
		{"stats", "stats.json", TranscriptOptions{Location: time.UTC}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := decode(t, input(t, tt.in))
			got := NewTranscriber(tt.opts).Append([]byte("before\n"), doc)
			if !bytes.HasPrefix(got, []byte("before\n")) || !bytes.HasSuffix(got, []byte("\n")) {
				t.Fatalf("Append must extend dst and end with a newline: %q", got)
			}
			golden(t, "transcript-"+tt.name+".txt", got[len("before\n"):])
		})
	}
}

// TestTranscriptLines checks the rules the golden files show, one by one.
func TestTranscriptLines(t *testing.T) {
	out := string(NewTranscriber(TranscriptOptions{Location: time.UTC}).Append(nil, decode(t, input(t, "edge.json"))))
	for _, want := range []string{
		"Visitor:  Maximiliane Alexandra von Hohenzollern-Sigmaringen, AT\n", // no email, code only
		"Duration: 4m20s\n",   // from beginAt/endAt when duration is null
		"Flags:    dropped\n", // only the flags that are true
		"Rating:   2 \"Took long.\n          But solved.\"\n",
		"--- 2026-01-07 ---\n",     // the date when it changes
		"line two\\x1b[31m red?",   // control characters shown, not sent
		"an agent joined the chat", // agent.join without a name
		"agent 7 ",                 // an agent without a name, by id
		"agent 12",                 // the old integer "from"
		"system                    Old Format left the chat", // agent.leave
		"close.timeout",                     // an unknown code as it is
		"Eva closed the chat",               // close.agentClose
		"the chat was closed automatically", // close.systemClose
		"Maximiliane Alexandra v…",          // names wider than the column are cut
	} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b") || strings.Contains(out, "\r") {
		t.Errorf("transcript carries control characters from the payload: %q", out)
	}
	// Continuation lines stand under the text of their first line.
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if strings.HasSuffix(l, "Hello,") {
			col := width(l[:strings.Index(l, "Hello,")])
			if next := lines[i+1]; strings.TrimLeft(next, " ") != "line two\\x1b[31m red?" || len(next)-len(strings.TrimLeft(next, " ")) != col {
				t.Errorf("continuation %q is not under column %d", next, col)
			}
		}
	}
}

func TestTranscriptColor(t *testing.T) {
	doc := decode(t, input(t, "doc-example.json"))
	plain := string(NewTranscriber(TranscriptOptions{Location: time.UTC}).Append(nil, doc))
	color := string(NewTranscriber(TranscriptOptions{Location: time.UTC, Color: true}).Append(nil, doc))
	for _, want := range []string{
		"\x1b[" + styleVisitor + "mDusan Kmet\x1b[0m",
		"\x1b[" + styleAgent + "mJohn Doe\x1b[0m",
		"\x1b[" + styleTrigger + "mtrigger Test Trigger\x1b[0m",
		"\x1b[" + styleSystem + "mthe visitor closed the chat\x1b[0m",
	} {
		if !strings.Contains(color, want) {
			t.Errorf("coloured transcript lacks %q", want)
		}
	}
	if stripANSI(color) != plain {
		t.Errorf("colour changes the text:\n%s\n%s", stripANSI(color), plain)
	}
}

// stripANSI removes SGR sequences.
func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestFormatDuration(t *testing.T) {
	for sec, want := range map[int64]string{0: "0s", 36: "36s", 60: "1m00s", 245: "4m05s", 3600: "1h00m00s", 3723: "1h02m03s", -5: "-5s"} {
		if got := formatDuration(sec); got != want {
			t.Errorf("formatDuration(%d) = %q, want %q", sec, got, want)
		}
	}
}
