package replay

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/payload"
)

// A shift that would overflow a timestamp is refused, naming the member, instead of
// sending a wrapped-around number.
func TestShiftOverflowIsRefused(t *testing.T) {
	doc := `{"accountId":1,"beginAt":9223372036854775000,"endAt":1427470476687,"channel":{"id":2},"messages":[]}`
	rw := &Rewriter{Shift: math.MaxInt64 / 2}
	_, err := rw.Apply(nil, []byte(doc), true)
	if !errors.Is(err, payload.ErrShiftOverflow) || !strings.Contains(err.Error(), "/beginAt") {
		t.Fatalf("error %v, want a shift overflow at /beginAt", err)
	}
}
