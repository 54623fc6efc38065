package payload

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// MaxMillis is the last millisecond of the year 9999: a timestamp past it is no time
// a chat can have, and formatting it would print a wrong year.
const MaxMillis = 253402300799999

// ErrShiftOverflow is a time shift whose result does not fit in a timestamp.
var ErrShiftOverflow = errors.New("shifting the time overflows")

// ShiftMillis adds shift milliseconds to the timestamp t, refusing a result that
// overflows 64 bits or leaves the range of times (1970 to the year 9999).
func ShiftMillis(t, shift int64) (int64, error) {
	if (shift > 0 && t > math.MaxInt64-shift) || (shift < 0 && t < math.MinInt64-shift) {
		return 0, fmt.Errorf("%w: %d + %d does not fit in 64 bits", ErrShiftOverflow, t, shift)
	}
	v := t + shift
	if v < 0 || v > MaxMillis {
		return 0, fmt.Errorf("%w: %d + %d = %d is outside 1970 to the year 9999", ErrShiftOverflow, t, shift, v)
	}
	return v, nil
}

// FormatMillis writes a span of milliseconds as a duration (1h2m3.5s), or in days
// when it is too long for time.Duration, never as a wrong, wrapped-around number.
func FormatMillis(ms int64) string {
	const maxDurationMillis = math.MaxInt64 / int64(time.Millisecond)
	if ms > -maxDurationMillis && ms < maxDurationMillis {
		return (time.Duration(ms) * time.Millisecond).String()
	}
	return strconv.FormatInt(ms/86_400_000, 10) + " days"
}
