package timezone

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	at := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in      string
		offset  int // seconds east of UTC at `at`
		isLocal bool
		bad     bool
	}{
		{in: "UTC"}, {in: "utc"}, {in: "Z"}, {in: "gmt"},
		{in: "local", isLocal: true}, {in: "LOCAL", isLocal: true}, {in: "", isLocal: true},
		{in: "+02:00", offset: 7200}, {in: "-0530", offset: -(5*3600 + 30*60)}, {in: "+01", offset: 3600},
		{in: "Europe/Prague", offset: 3600}, {in: "America/New_York", offset: -5 * 3600},
		{in: "Mars/Olympus", bad: true}, {in: "+25:00", bad: true}, {in: "+02:61", bad: true},
		{in: "+2", bad: true}, {in: "+02-00", bad: true}, {in: "/etc/passwd", bad: true},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			loc, err := Parse(c.in)
			if c.bad {
				if err == nil {
					t.Fatalf("Parse(%q) = %v, want an error", c.in, loc)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.isLocal {
				if loc != time.Local {
					t.Fatalf("Parse(%q) = %v, want Local", c.in, loc)
				}
				return
			}
			if _, off := at.In(loc).Zone(); off != c.offset {
				t.Fatalf("Parse(%q) offset %d, want %d", c.in, off, c.offset)
			}
		})
	}
}
