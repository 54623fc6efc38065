package input

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// selection is an origin printed by the tool and given back as an input:
// "a.tgz:2026/01/05/x.json" names an archive member, "chats.ndjson:1234" a line,
// "chats.ndjson:1234:5" the document starting at that line and column.
type selection struct {
	path      string
	member    string
	line, col int
	matched   int
	lastLine  int // the start line of the last document kept
}

// parseSelection splits an input that does not exist as a file into the file it
// starts with and the member, line and column after it. A real file whose name holds
// ':' is found by os.Stat before this is tried, so it always wins.
func parseSelection(p string) (selection, bool) {
	return parseSelectionOf(p, func(name string) bool {
		info, err := os.Stat(name)
		return err == nil && !info.IsDir()
	})
}

// parseSelectionOf is parseSelection for files that isFile tells exist: the shortest
// name before a ':' that is a file is the file.
func parseSelectionOf(p string, isFile func(string) bool) (selection, bool) {
	for i := strings.IndexByte(p, ':'); i > 0; {
		if isFile(p[:i]) {
			sel := selection{path: p[:i]}
			rest := p[i+1:]
			rest, sel.line, sel.col = trailingPosition(rest)
			f, _ := formatOf(sel.path)
			archive := f == formatTar || f == formatTarGz || f == formatZip
			switch {
			case archive && rest != "":
				sel.member = rest
			case rest != "":
				return selection{}, false // not a position after all
			case sel.line == 0:
				return selection{}, false
			}
			return sel, true
		}
		j := strings.IndexByte(p[i+1:], ':')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return selection{}, false
}

// trailingPosition takes a ":line" or ":line:col" (or, alone, "line" or "line:col")
// off the end of s.
func trailingPosition(s string) (rest string, line, col int) {
	parts := strings.Split(s, ":")
	var nums []int
	for len(parts) > 0 && len(nums) < 2 {
		n, err := strconv.Atoi(parts[len(parts)-1])
		if err != nil || n < 1 {
			break
		}
		nums = append([]int{n}, nums...)
		parts = parts[:len(parts)-1]
	}
	rest = strings.Join(parts, ":")
	if len(nums) > 0 {
		line = nums[0]
	}
	if len(nums) > 1 {
		col = nums[1]
	}
	return rest, line, col
}

// wants reports an archive member to read for the selection: the member itself, one
// inside it, or an archive that holds it.
func (s *selection) wants(o Origin) bool {
	return s.member == "" || o.Member == s.member ||
		strings.HasPrefix(o.Member, s.member+":") || strings.HasPrefix(s.member, o.Member+":")
}

// keeps reports a record of the selection.
func (s *selection) keeps(rec Record) bool {
	o := rec.Origin
	if s.member != "" && o.Member != s.member && !strings.HasPrefix(o.Member, s.member+":") {
		return false
	}
	if rec.Err != nil && s.line > 0 && o.Line == 1 && o.Col == 1 && o.Offset == 0 {
		return true // the file or member could not be read at all
	}
	return s.line == 0 || s.holds(rec)
}

// holds reports a document that spans the selection's line (and column): a finding's
// place given back reads the document it is in.
func (s *selection) holds(rec Record) bool {
	o := rec.Origin
	last := o.Line + bytes.Count(rec.Raw, []byte{'\n'})
	switch {
	case s.line < o.Line || s.line > last:
		return false
	case s.col == 0:
		// A line holding several documents: the first one that starts on it.
		return s.line > o.Line || !s.sawLine(o.Line)
	case last == o.Line:
		return s.col >= o.Col && s.col < o.Col+utf8.RuneCount(rec.Raw)
	case s.line == o.Line:
		return s.col >= o.Col
	case s.line == last:
		return s.col <= 1+utf8.RuneCount(rec.Raw[bytes.LastIndexByte(rec.Raw, '\n')+1:])
	}
	return true
}

// sawLine notes that a document starting on line was kept, and reports whether one was.
func (s *selection) sawLine(line int) bool {
	seen := s.lastLine == line
	s.lastLine = line
	return seen
}

// filter drops the records of b outside the selection.
func (s *selection) filter(b *Batch) {
	kept := b.Records[:0]
	for _, rec := range b.Records {
		if s.keeps(rec) {
			kept = append(kept, rec)
			if rec.Err == nil {
				s.matched++
			}
		}
	}
	clear(b.Records[len(kept):])
	b.Records = kept
}

// selected reads the part of a file a selection names.
func (r *reader) selected(sel selection) bool {
	if !r.flush() {
		return false
	}
	r.sel = &sel
	ok := r.path(sel.path) && r.flush()
	r.sel = nil
	if ok && sel.matched == 0 {
		what := "no document at line " + strconv.Itoa(sel.line)
		if sel.member != "" {
			what = "no member " + strconv.Quote(sel.member) + " holds a document there"
			if sel.line == 0 {
				what = "no member " + strconv.Quote(sel.member)
			}
		}
		return r.fail(sel.path, errors.New(what))
	}
	return ok
}

// globStar reads the files a pattern with "**" (any number of folders) matches.
func (r *reader) globStar(pattern string) bool {
	pat := strings.Split(path.Clean(filepath.ToSlash(pattern)), "/")
	root := []string{}
	for _, seg := range pat {
		if strings.ContainsAny(seg, "*?[") {
			break
		}
		root = append(root, seg)
	}
	dir := strings.Join(root, "/")
	if dir == "" {
		dir = "."
		if strings.HasPrefix(pattern, "/") {
			dir = "/"
		}
	}
	var matches []string
	err := filepath.WalkDir(filepath.FromSlash(dir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && matchStar(pat, strings.Split(filepath.ToSlash(p), "/")) {
			matches = append(matches, p)
		}
		return nil
	})
	if err != nil || len(matches) == 0 {
		return r.fail(pattern, fmt.Errorf("no file matches this pattern"))
	}
	for _, m := range matches {
		if !r.path(m) {
			return false
		}
	}
	return true
}

// matchStar matches path segments against pattern segments, "**" standing for any
// number of segments (none included).
func matchStar(pattern, name []string) bool {
	for len(pattern) > 0 {
		if pattern[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchStar(pattern[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pattern[0], name[0]); !ok {
			return false
		}
		pattern, name = pattern[1:], name[1:]
	}
	return len(name) == 0
}
