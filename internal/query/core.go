package query

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
	"unicode/utf8"

	"github.com/smarthook/smarthook/internal/findings"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
)

// Finding is a problem of the input core's reading, shown as every other command shows
// it (origin:line:col: error: message [rule]): a broken document after which reading
// resumed at the next line that begins a document, a document over --max-doc-size, an
// unreadable archive member. jq has no such reading, so no jq text or code applies:
// the run goes on and ends with exit code 1 (2 for an input the user named that does
// not exist, as the other commands).
type Finding struct {
	Text string // the finding's line, without its newline
	Code int
}

func (f *Finding) Error() string { return f.Text }

// ExitCode is the process's exit code for the finding.
func (f *Finding) ExitCode() int { return f.Code }

// newFinding words finding f of record rec as the other commands do.
func newFinding(rec input.Record, f rules.Finding, code int) *Finding {
	fs := findings.Reading(rec, []rules.Finding{f}, false)
	line, col := findings.Position(rec, fs[0])
	text := findings.AppendText(nil, rec.Origin, line, col, fs[0], false)
	return &Finding{Text: string(trimNewline(text)), Code: code}
}

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// recordProblem is what makes a record of the core unusable, or nil: a read error,
// or a broken document the core cut short where reading resumed.
func recordProblem(rec input.Record) error {
	switch {
	case rec.Err != nil:
		return readError(rec)
	case rec.Resume != nil:
		return newFinding(rec, payload.SyntaxFinding(rec.Raw, syntaxError(rec.Raw)), 1)
	}
	return nil
}

// cutFinding is the core's finding for a record whose text broke (err, as jq words
// it), for when the core reads on after it; nil when err is not broken text.
func cutFinding(rec input.Record, err error) error {
	var je *JSONError
	if !errors.As(err, &je) {
		return nil
	}
	serr := syntaxError(rec.Raw)
	if serr == nil {
		return nil
	}
	return newFinding(rec, payload.SyntaxFinding(rec.Raw, serr), 1)
}

// syntaxError is the first syntax error of raw, a broken document.
func syntaxError(raw []byte) (err error) {
	defer jsontext.Catch(&err)
	s := jsontext.Scanner{Data: raw}
	if len(raw) >= 3 && string(raw[:3]) == "\xef\xbb\xbf" {
		s.Pos = 3
	}
	s.Skip()
	s.SkipSpace()
	if s.Pos < len(raw) {
		s.Fail(s.Pos, "unexpected text after the document")
	}
	return nil
}

// readError is an input that could not be read. A file that cannot be opened is
// reported as jq does (exit 5); an origin given back that names nothing, or a pattern
// that matches nothing, as the other commands do (exit 2); other problems (a broken
// archive or member, a document over the size limit) are findings (exit 1).
func readError(rec input.Record) error {
	var re *input.ReadError
	if errors.As(rec.Err, &re) && re.Unopened {
		var errno syscall.Errno
		if errors.As(re.Err, &errno) || errors.Is(re.Err, fs.ErrNotExist) || errors.Is(re.Err, fs.ErrPermission) {
			return &os.PathError{Op: "open", Path: re.Path, Err: re.Err}
		}
		return newFinding(rec, rules.New(rules.Read, 0, "", "%s", findings.ReadErrorText(rec.Err)), 2)
	}
	return newFinding(rec, rules.New(rules.Read, 0, "", "%s", findings.ReadErrorText(rec.Err)), 1)
}

// notes says how an input is read (NAME: text) on the notices' writer, as the input
// core does.
func (r *run) notes(text string) {
	w := r.opts.Input.Notices
	if w == nil {
		return
	}
	_ = r.out.Flush()
	prefix := "smarthook"
	if r.opts.Input.Command != "" {
		prefix += " " + r.opts.Input.Command
	}
	fmt.Fprintf(w, "%s: %s\n", prefix, text)
}

// topArray reports a value read as one document that is a top-level array of
// payloads (its first element has the members that tell a Smartsupp payload: a POST
// hook, a webhook or a stats report), as REST exports hold them; these arrays get the
// note the input core gives, once per input. Other arrays are plain jq input, read
// without a word (stderr stays as jq's).
func topArray(v any) bool {
	a, ok := v.([]any)
	if !ok || len(a) == 0 {
		return false
	}
	m, ok := a[0].(map[string]any)
	if !ok {
		return false
	}
	for _, k := range []string{"accountId", "channel", "messages", "event", "domains"} {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return m["type"] == "event_callback"
}

// resume hands the rest of the input, from the broken value on, to the input core
// when the core reads on after that value: it cuts the value short where a later line
// begins a document (its finding says reading resumed there), or the value's brackets
// close and more follows. Otherwise (the input ends inside the value, or nothing
// follows it) it returns nil: the reading stops there with jq's error, as jq's does.
// lines is the count of lines before the reader's buffer.
func (it *jsonIter) resume(lines int) *recordsIter {
	o, rest, ok := it.restAt(it.start, lines)
	if !ok {
		return nil
	}
	core := it.takeOver(o, rest)
	if rec, ok := core.peek(); ok && (rec.Resume != nil || rec.Err != nil || core.more()) {
		return core
	}
	core.Close()
	return nil
}

// restAt is the origin of decoder offset off and a reader of the input from there;
// lines is the count of lines before the reader's buffer.
func (it *jsonIter) restAt(off int64, lines int) (input.Origin, io.Reader, bool) {
	o := input.Origin{Path: it.name, Offset: off}
	if o.Path == "<stdin>" {
		o.Path = "-"
	}
	t := it.t
	var head []byte
	var rest io.Reader
	if t.buf != nil {
		data := t.buf.Bytes()
		rel := off - it.offset
		if rel < 0 || rel > int64(len(data)) {
			return o, nil, false
		}
		head = data[:rel]
		rest = io.MultiReader(bytes.NewReader(bytes.Clone(data[rel:])), t.src)
	} else {
		fileOff := off - it.offset
		if _, err := t.seeker.Seek(0, io.SeekStart); err != nil {
			return o, nil, false
		}
		head = make([]byte, fileOff)
		if _, err := io.ReadFull(t.seeker, head); err != nil {
			return o, nil, false
		}
		rest, o.Offset = t.seeker, fileOff
	}
	o.Line = lines + 1 + bytes.Count(head, []byte{'\n'})
	// A byte-order mark is no column, as in the core.
	o.Col = 1 + utf8.RuneCount(bytes.TrimPrefix(head[bytes.LastIndexByte(head, '\n')+1:], []byte("\xef\xbb\xbf")))
	return o, rest, true
}

// findingsIter reports the core's findings about the inputs as they come and reads
// on: they are no jq errors, so neither the filter (input, inputs) nor -s sees them.
type findingsIter struct {
	docIter
	r *run
}

func (it *findingsIter) Next() (any, bool) {
	for {
		v, ok := it.docIter.Next()
		var f *Finding
		if err, isErr := v.(error); !ok || !isErr || !errors.As(err, &f) {
			return v, ok
		}
		it.r.report(f)
		it.r.finding = f
	}
}
