package redact

import (
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
)

// BenchmarkApply measures redaction with the default fields on generated hooks.
func BenchmarkApply(b *testing.B) {
	r := mustNew(b, testKey)
	g := fake.New(fake.Options{Seed: 1})
	docs := make([][]byte, 256)
	size := 0
	for i := range docs {
		docs[i] = g.Append(nil, i)
		size += len(docs[i])
	}
	b.SetBytes(int64(size / len(docs)))
	var buf []byte
	i := 0
	for b.Loop() {
		buf, _ = r.Apply(buf[:0], docs[i%len(docs)])
		i++
	}
}
