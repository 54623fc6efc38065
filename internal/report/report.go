// Package report holds the JSON reports that validate and convert write with
// --report json, and `smarthook report merge`, which adds up the reports of runs over
// shards of the same input (and replay's reports) into the totals one run gives.
package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/smarthook/smarthook/internal/input"
)

// Validate is what a validate run checked.
type Validate struct {
	Kind            string         `json:"report"` // "validate"
	Shard           string         `json:"shard,omitempty"`
	Files           int            `json:"files"`
	Documents       int            `json:"documents"`
	Kinds           map[string]int `json:"kinds"`
	DocumentsErrors int            `json:"documents_with_errors"`
	Errors          int            `json:"errors"`
	Warnings        int            `json:"warnings"`
	Unreadable      int            `json:"unreadable_paths"`
}

// Convert is what a convert run wrote.
type Convert struct {
	Kind       string         `json:"report"` // "convert"
	Shard      string         `json:"shard,omitempty"`
	Rows       string         `json:"rows_kind"` // what a row is (--rows)
	RowCount   int            `json:"rows"`
	Documents  int            `json:"documents"` // documents read, converted or not
	Converted  int            `json:"converted"` // documents of the kind --rows takes
	Kinds      map[string]int `json:"kinds"`     // documents without errors, by kind
	LeftOut    int            `json:"left_out"`  // documents of other kinds
	Skipped    int            `json:"skipped"`   // documents not converted because of errors
	Unreadable int            `json:"unreadable_paths"`
}

// The kinds of report.
const (
	KindValidate = "validate"
	KindConvert  = "convert"
	KindReplay   = "replay"
)

// ShardName is the shard a report covers, "" for all of the input.
func ShardName(s input.Shard) string { return s.String() }

// Write writes a report as one line of JSON.
func Write(w io.Writer, r any) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
