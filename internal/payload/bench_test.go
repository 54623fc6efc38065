package payload

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
)

// hookDocs generates chats as compact lines, or indented as in a folder of files.
func hookDocs(b *testing.B, pretty bool) [][]byte {
	g := fake.New(fake.Options{Seed: 1})
	docs := make([][]byte, 1000)
	for i := range docs {
		docs[i] = g.Append(nil, i)
		if pretty {
			var buf bytes.Buffer
			if err := json.Indent(&buf, docs[i], "", "  "); err != nil {
				b.Fatal(err)
			}
			docs[i] = buf.Bytes()
		}
	}
	return docs
}

func benchmarkDecode(b *testing.B, pretty bool) {
	docs := hookDocs(b, pretty)
	size := 0
	for _, doc := range docs {
		size += len(doc)
	}
	b.SetBytes(int64(size / len(docs)))
	var d Decoder
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, fs := d.Decode(docs[i%len(docs)]); len(fs) != 0 {
			b.Fatal(fs)
		}
	}
}

func BenchmarkDecodeHook(b *testing.B)       { benchmarkDecode(b, false) }
func BenchmarkDecodeHookPretty(b *testing.B) { benchmarkDecode(b, true) }
