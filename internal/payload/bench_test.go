package payload

import (
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
)

func BenchmarkDecodeHook(b *testing.B) {
	g := fake.New(fake.Options{Seed: 1})
	docs := make([][]byte, 1000)
	size := 0
	for i := range docs {
		docs[i] = g.Append(nil, i)
		size += len(docs[i])
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
