// Package timezone reads the one time-zone grammar every smarthook flag (--tz) and the
// query helper ms_to_iso accept: "UTC" (or "Z") and "local" in any case, fixed offsets
// such as "+02:00", "-0530" or "+01", and IANA names such as "Europe/Prague".
package timezone

import (
	"fmt"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // IANA names must work where the system has no zone database
)

// Default is the zone used when none is given: the machine's local time.
const Default = "local"

// Help describes the grammar in words for flag help and error messages.
const Help = `UTC, local, an offset like +02:00 or an IANA name like Europe/Prague`

var cache sync.Map // name → *time.Location; parsing an IANA name reads a file

// Parse resolves a time-zone name in the grammar above. The empty string is Default.
func Parse(name string) (*time.Location, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "utc", "z", "gmt":
		return time.UTC, nil
	case "local", "":
		return time.Local, nil
	}
	if l, ok := cache.Load(name); ok {
		return l.(*time.Location), nil
	}
	loc, ok := parseOffset(name)
	if !ok {
		var err error
		if loc, err = time.LoadLocation(name); err != nil || strings.HasPrefix(name, "/") {
			return nil, fmt.Errorf("unknown time zone %q: use %s", name, Help)
		}
	}
	cache.Store(name, loc)
	return loc, nil
}

// parseOffset reads ±HH:MM, ±HHMM or ±HH (hours up to 14, minutes under 60).
func parseOffset(s string) (*time.Location, bool) {
	if len(s) < 3 || (s[0] != '+' && s[0] != '-') {
		return nil, false
	}
	digits := strings.Replace(s[1:], ":", "", 1)
	if len(digits) != 2 && len(digits) != 4 {
		return nil, false
	}
	if len(s[1:]) == 5 && s[3] != ':' {
		return nil, false
	}
	n := 0
	for _, c := range digits {
		if c < '0' || c > '9' {
			return nil, false
		}
		n = n*10 + int(c-'0')
	}
	h, m := n, 0
	if len(digits) == 4 {
		h, m = n/100, n%100
	}
	if h > 14 || m > 59 {
		return nil, false
	}
	off := (h*60 + m) * 60
	if s[0] == '-' {
		off = -off
	}
	return time.FixedZone(s, off), true
}
