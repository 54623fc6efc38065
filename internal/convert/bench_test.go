package convert

import (
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/payload"
)

// BenchmarkEncode measures writing rows from decoded documents, per format and row kind
// (the decoding is done once, outside the loop).
func BenchmarkEncode(b *testing.B) {
	g := fake.New(fake.Options{Seed: 4})
	const n = 200
	docs := make([]*payload.Doc, n)
	size := 0
	for i := range docs {
		raw := g.Append(nil, i)
		size += len(raw)
		var dec payload.Decoder
		doc, _ := dec.Decode(raw)
		copied := *doc
		docs[i] = &copied
	}
	for _, to := range FormatNames() {
		for _, rows := range []string{"chats", "messages"} {
			b.Run(to+"/"+rows, func(b *testing.B) {
				rk, _ := LookupRowKind(rows)
				cols, _ := rk.Select(nil, false, nil)
				f := Format{To: to, Time: "rfc3339"}
				if err := f.Check(); err != nil {
					b.Fatal(err)
				}
				enc := NewEncoder(cols, f)
				var row Row
				var out []byte
				b.SetBytes(int64(size))
				for b.Loop() {
					out = out[:0]
					for _, d := range docs {
						out, _ = enc.AppendRows(out, rk, &row, d)
					}
				}
			})
		}
	}
}
