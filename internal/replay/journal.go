package replay

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// JournalLine is one finished attempt as the journal records it (one JSON object a
// line). Attempt 0 is a document that was not sent at all (invalid, or not rewritable).
type JournalLine struct {
	Time      time.Time `json:"time"`
	Origin    string    `json:"origin"`
	ID        string    `json:"id"`
	SHA256    string    `json:"sha256"` // of the document as stored
	Status    int       `json:"status"` // 0 when no answer came (network error, timeout)
	LatencyMS float64   `json:"latency_ms"`
	Attempt   int       `json:"attempt"`
	Error     string    `json:"error"`
	Final     bool      `json:"final"` // no further attempt will be made for this document
}

// appendJournalLine encodes a line by hand: the journal is written for every attempt.
func appendJournalLine(b []byte, l *JournalLine) []byte {
	b = append(b, `{"time":"`...)
	b = l.Time.UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
	b = append(b, `","origin":`...)
	b = jsontext.AppendQuote(b, l.Origin)
	b = append(b, `,"id":"`...)
	b = append(b, l.ID...)
	if l.SHA256 != "" {
		b = append(b, `","sha256":"`...)
		b = append(b, l.SHA256...)
	}
	b = append(b, `","status":`...)
	b = strconv.AppendInt(b, int64(l.Status), 10)
	b = append(b, `,"latency_ms":`...)
	b = strconv.AppendFloat(b, l.LatencyMS, 'f', 3, 64)
	b = append(b, `,"attempt":`...)
	b = strconv.AppendInt(b, int64(l.Attempt), 10)
	b = append(b, `,"error":`...)
	b = jsontext.AppendQuote(b, l.Error)
	b = append(b, `,"final":`...)
	b = strconv.AppendBool(b, l.Final)
	return append(b, "}\n"...)
}

// Delivered is the set of documents an earlier run delivered (a final 2xx).
type Delivered map[DocID]struct{}

// JournalState is what ReadJournal found.
type JournalState struct {
	Delivered Delivered
	Lines     int // lines read, broken ones included, the header not
	Broken    int // lines that are not a journal line (a line cut by a kill, say)
	// Unterminated says the last line has no newline: a run was killed while writing it.
	// Append a newline before new lines.
	Unterminated bool
	// Header is the journal's first header line: nil for a journal written before
	// journals had one.
	Header *JournalHeader
}

// ReadJournal reads a journal and collects the documents it shows delivered. Lines
// that do not parse, such as the last one when a run was killed in the middle of
// writing it, are counted and skipped: at worst their document is sent again.
func ReadJournal(r io.Reader) (*JournalState, error) {
	st := &JournalState{Delivered: make(Delivered)}
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			st.Unterminated = line[len(line)-1] != '\n'
			st.add(bytes.TrimSpace(line))
		}
		if err == io.EOF {
			return st, nil
		}
		if err != nil {
			return st, fmt.Errorf("read journal: %w", err)
		}
	}
}

func (st *JournalState) add(line []byte) {
	if len(line) == 0 {
		return
	}
	var l struct {
		ID     string `json:"id"`
		Status int    `json:"status"`
		Final  bool   `json:"final"`
		JournalHeader
	}
	id, ok := DocID{}, false
	if json.Unmarshal(line, &l) == nil {
		if l.Journal != "" {
			if st.Header == nil {
				h := l.JournalHeader
				st.Header = &h
			}
			return
		}
		id, ok = ParseDocID(l.ID)
	}
	st.Lines++
	if !ok {
		st.Broken++
		return
	}
	if l.Final && l.Status/100 == 2 {
		st.Delivered[id] = struct{}{}
	}
}
