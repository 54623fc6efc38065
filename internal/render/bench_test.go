package render

import (
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
)

// benchDocs are 500 generated chats and their total size.
func benchDocs() ([][]byte, int) {
	g := fake.New(fake.Options{Seed: 1})
	var docs [][]byte
	n := 0
	for i := range 500 {
		d := g.Append(nil, i)
		docs = append(docs, d)
		n += len(d)
	}
	return docs, n
}

func benchmarkFormat(b *testing.B, opts Options) {
	docs, n := benchDocs()
	f := NewFormatter(opts)
	var buf []byte
	b.SetBytes(int64(n))
	b.ResetTimer()
	for range b.N {
		for _, d := range docs {
			var err error
			buf, err = f.Append(buf[:0], d)
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// The formatter alone, one core; `smarthook pretty` adds reading and writing on top
// (see bench/ for the whole binary against jq).
func BenchmarkCompact(b *testing.B)  { benchmarkFormat(b, Options{Compact: true}) }
func BenchmarkIndent(b *testing.B)   { benchmarkFormat(b, Options{Indent: "  "}) }
func BenchmarkColor(b *testing.B)    { benchmarkFormat(b, Options{Indent: "  ", Colors: &DefaultColors}) }
func BenchmarkSortKeys(b *testing.B) { benchmarkFormat(b, Options{Compact: true, SortKeys: true}) }
