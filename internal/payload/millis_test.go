package payload

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/rules"
)

func TestShiftMillis(t *testing.T) {
	tests := []struct {
		t, shift, want int64
		err            bool
	}{
		{1427470439703, 1000, 1427470440703, false},
		{1427470439703, -1427470439703, 0, false},
		{math.MaxInt64, 1, 0, true},
		{math.MinInt64, -1, 0, true},
		{MaxMillis, 1, 0, true},
		{1000, -1001, 0, true},
		{1, math.MaxInt64, 0, true},
	}
	for _, tt := range tests {
		got, err := ShiftMillis(tt.t, tt.shift)
		if (err != nil) != tt.err || (err == nil && got != tt.want) {
			t.Errorf("ShiftMillis(%d, %d) = %d, %v; want %d, error %v", tt.t, tt.shift, got, err, tt.want, tt.err)
		}
		if err != nil && !errors.Is(err, ErrShiftOverflow) {
			t.Errorf("ShiftMillis(%d, %d): error %v is not ErrShiftOverflow", tt.t, tt.shift, err)
		}
	}
}

func TestFormatMillis(t *testing.T) {
	for ms, want := range map[int64]string{
		1500:             "1.5s",
		-3_600_000:       "-1h0m0s",
		MaxMillis:        "2932896 days",
		math.MaxInt64:    "106751991167 days",
		-MaxMillis - 100: "-2932897 days",
	} {
		if got := FormatMillis(ms); got != want {
			t.Errorf("FormatMillis(%d) = %q, want %q", ms, got, want)
		}
	}
}

// A timestamp that no date can have is an error naming it, never a wrong year or a
// wrapped-around duration.
func TestTimestampOutOfRange(t *testing.T) {
	for _, raw := range []string{"9223372036854775807", "253402300800000", "-5"} {
		doc := `{"accountId":1,"beginAt":` + raw + `,"endAt":1427470476687,"channel":{"id":2},"messages":[]}`
		var dec Decoder
		_, fs := dec.Decode([]byte(doc))
		var hit bool
		for _, f := range fs {
			if f.Pointer == "/beginAt" && f.Rule == rules.Type && strings.Contains(f.Message, raw+" is out of range") {
				hit = true
			}
			if f.Rule == rules.TimeOrder || strings.Contains(f.Message, "-") && f.Pointer == "/endAt" {
				t.Errorf("%s: finding from a wrong number: %+v", raw, f)
			}
		}
		if !hit {
			t.Errorf("%s: no out-of-range finding in %+v", raw, fs)
		}
	}
}
