package query

import (
	"context"
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
)

// benchDocs are fake chats, one per line as in NDJSON, and their total size.
func benchDocs(b *testing.B) ([][]byte, int) {
	b.Helper()
	g := fake.New(fake.Options{Seed: 1})
	docs := make([][]byte, 2000)
	size := 0
	for i := range docs {
		docs[i] = g.Append(nil, i)
		size += len(docs[i]) + 1
	}
	return docs, size
}

// BenchmarkDecode is the value decoder alone, whole documents.
func BenchmarkDecode(b *testing.B) {
	docs, size := benchDocs(b)
	d := NewDecoder()
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, doc := range docs {
			if _, err := d.Decode(doc); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkFilter is decode, run and encode on one core for the filters the README
// compares with jq and gojq (the command adds reading and runs on every core).
func BenchmarkFilter(b *testing.B) {
	for _, filter := range []string{
		`.channel.id`,
		`[.accountId, .visitor.email] | @tsv`,
		`.messages[] | select(.type=="visitor") | .content`,
		`.`,
	} {
		b.Run(filter, func(b *testing.B) {
			docs, size := benchDocs(b)
			f, err := Parse(filter, "")
			if err != nil {
				b.Fatal(err)
			}
			p, err := f.Compile(CompileOptions{})
			if err != nil {
				b.Fatal(err)
			}
			d := NewDecoder()
			if keys, ok := f.Projection(); ok {
				d.Project(keys)
			}
			e := NewEncoder(-1, false, false)
			var out []byte
			// A context that can end, as the command's: gojq then checks it at every step.
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			b.SetBytes(int64(size))
			for b.Loop() {
				for _, doc := range docs {
					v, err := d.Decode(doc)
					if err != nil {
						b.Fatal(err)
					}
					iter := p.Run(ctx, v, nil, nil)
					for {
						v, ok := iter.Next()
						if !ok {
							break
						}
						out = append(e.Append(out[:0], v), '\n')
					}
				}
			}
		})
	}
}
