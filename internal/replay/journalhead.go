package replay

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// JournalFormat names the journal's header line, and its version.
const JournalFormat = "smarthook replay journal 1"

// JournalHeader is the first line of a journal: what the run was made for, so that
// --resume can refuse to continue it against another target or other inputs.
type JournalHeader struct {
	Journal string    `json:"journal"` // JournalFormat
	Started time.Time `json:"started"`
	Method  string    `json:"method"`
	URL     string    `json:"url"`
	Inputs  []string  `json:"inputs"` // canonical paths (see CanonicalInputs); "-" for stdin
}

// NewJournalHeader is the header of a run sending with method to rawURL from inputs
// (canonical paths).
func NewJournalHeader(method, rawURL string, inputs []string, now time.Time) JournalHeader {
	return JournalHeader{Journal: JournalFormat, Started: now.UTC(), Method: method, URL: rawURL, Inputs: inputs}
}

// Line is the header as the journal's first line.
func (h JournalHeader) Line() []byte {
	b, _ := json.Marshal(h) // plain strings and a time: cannot fail
	return append(b, '\n')
}

// CheckResume says why a run sending with method to rawURL from inputs (canonical
// paths) should not continue the journal whose header is h: another target, or inputs
// none of which the journal was made for. nil when it may.
func (h *JournalHeader) CheckResume(method, rawURL string, inputs []string) error {
	if !strings.EqualFold(h.Method, method) || normalURL(h.URL) != normalURL(rawURL) {
		return fmt.Errorf("the journal was made for %s %s, not %s %s: what it shows delivered was not delivered there", h.Method, h.URL, method, rawURL)
	}
	for _, in := range inputs {
		for _, j := range h.Inputs {
			if in == j || within(in, j) || within(j, in) {
				return nil
			}
		}
	}
	return fmt.Errorf("the journal was made for other inputs (%s), none of which are given here (%s)", strings.Join(h.Inputs, ", "), strings.Join(inputs, ", "))
}

// readInFolders reports whether reading a folder takes the file name (as package input
// chooses: JSON and NDJSON names, gzipped or not).
func readInFolders(name string) bool {
	lower := strings.TrimSuffix(strings.ToLower(name), ".gz")
	return strings.HasSuffix(lower, ".json") || strings.HasSuffix(lower, ".ndjson") || strings.HasSuffix(lower, ".jsonl")
}

// within reports whether path p lies inside folder dir.
func within(p, dir string) bool {
	if p == "-" || dir == "-" {
		return false
	}
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && !strings.HasPrefix(rel, "..")
}

// normalURL compares URLs as servers do: scheme and host in any case, a default port
// the same as none.
func normalURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if (u.Scheme == "http" && u.Port() == "80") || (u.Scheme == "https" && u.Port() == "443") {
		u.Host = u.Hostname()
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

// CheckOutput refuses to write the file name (given as flag) onto an input: the file
// itself, the same file through a link, or a file inside an input folder that reading
// the folder would take (a .json, .ndjson or .jsonl name, gzipped or not), which this
// run or the next would read back. inputs are canonical (see CanonicalInputs).
func CheckOutput(flag, name string, inputs []string) error {
	out := filepath.Join(CanonicalPath(filepath.Dir(name)), filepath.Base(name))
	if real, err := filepath.EvalSymlinks(out); err == nil {
		out = real
	}
	for _, in := range inputs {
		switch {
		case out == in:
			return fmt.Errorf("%s %s is also an input: refusing to write onto it", flag, name)
		case within(out, in) && readInFolders(out):
			return fmt.Errorf("%s %s is inside the input folder %s: it would be read as input; write it elsewhere", flag, name, in)
		}
	}
	return nil
}
