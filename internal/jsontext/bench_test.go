package jsontext_test

import (
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/jsontext"
)

func BenchmarkValid(b *testing.B) {
	g := fake.New(fake.Options{Seed: 1})
	docs := make([][]byte, 1000)
	size := 0
	for i := range docs {
		docs[i] = g.Append(nil, i)
		size += len(docs[i])
	}
	b.SetBytes(int64(size / len(docs)))
	for i := 0; b.Loop(); i++ {
		if err := jsontext.Valid(docs[i%len(docs)]); err != nil {
			b.Fatal(err)
		}
	}
}
