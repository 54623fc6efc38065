package listen

import (
	"bytes"
	"context"
	"slices"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
)

// decodeArray reads a body that is a top-level array of payloads (how REST exports and
// scripts keep chats) element by element, as every reading command reads it once
// stored: each element is decoded and checked on its own, its findings' pointers
// starting at /N. It returns the findings of all elements and their number; rc.doc
// becomes the first element's, which names the stored file. A body that is not an
// array of documents gives 0, and rc is left as it is.
func decodeArray(dec *payload.Decoder, rc *received) int {
	if t := bytes.TrimLeft(rc.body, " \t\r\n"); len(t) == 0 || t[0] != '[' {
		return 0
	}
	var records []input.Record
	for b := range input.Read(context.Background(), []string{"-"}, input.Options{Stdin: bytes.NewReader(rc.body), SplitArrays: true}) {
		records = append(records, b.Records...)
	}
	if len(records) == 0 || records[0].Element == 0 || records[0].Err != nil {
		return 0
	}
	if first, _ := dec.Decode(records[0].Raw); first.Kind == payload.KindUnknown {
		return 0 // not an array of payloads: the array is the document
	}
	var all []rules.Finding
	for _, rec := range records {
		if rec.Err != nil {
			all = append(all, rules.New(rules.Read, 0, rec.Pointer(), "%v", rec.Err))
			continue
		}
		_, fs := dec.Decode(rec.Raw)
		for _, f := range fs {
			f.Pointer = rec.Pointer() + f.Pointer
			f.Offset += int(rec.Origin.Offset) // from the start of the body
			all = append(all, f)
		}
	}
	rc.doc, _ = dec.Decode(records[0].Raw)
	rc.findings = slices.Clip(all)
	return len(records)
}
