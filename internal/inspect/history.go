package inspect

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// loadHistory lists the hooks stored in dir (files named by time) and in the NDJSON
// file and its metadata file. Only names and line offsets are read here: bodies are
// read when their rows are needed.
func (s *store) loadHistory(dir, ndjson, ndMeta string) error {
	s.ndjson, s.ndMeta = ndjson, ndMeta
	var hist []*entry
	if dir != "" {
		files, err := listDir(dir)
		if err != nil {
			return err
		}
		hist = append(hist, files...)
	}
	if ndjson != "" {
		lines, err := listLines(ndjson)
		if err != nil {
			return err
		}
		hist = append(hist, lines...)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries = append(hist, s.entries...)
	for i, e := range s.entries {
		e.id = int64(i + 1)
	}
	return nil
}

// listDir finds DIR/YYYY/MM/DD/*.json, oldest first by the time in their names.
func listDir(dir string) ([]*entry, error) {
	var out []*entry
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				return err
			}
			return nil // an unreadable folder hides its hooks, not the others
		}
		name := d.Name()
		if d.IsDir() {
			if path != dir && (strings.HasPrefix(name, ".") || name == "rejected") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".json") {
			out = append(out, &entry{file: path, line: -1, at: stampOf(name)})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].at.Before(out[b].at) })
	return out, nil
}

// stampOf reads the receive time in ACCOUNT-CHAT-20060102T150405.000000Z[-N].json.
func stampOf(name string) time.Time {
	name = strings.TrimSuffix(name, ".json")
	parts := strings.Split(name, "-")
	for i := len(parts) - 1; i >= 0; i-- {
		if t, err := time.Parse("20060102T150405.000000Z", parts[i]); err == nil {
			return t
		}
	}
	return time.Time{}
}

// listLines finds where each line of an NDJSON file starts.
func listLines(name string) ([]*entry, error) {
	offs, end, err := lineOffsets(name)
	if err != nil {
		return nil, err
	}
	out := make([]*entry, 0, len(offs))
	for i, off := range offs {
		next := end
		if i+1 < len(offs) {
			next = offs[i+1]
		}
		size := next - off
		if i+1 < len(offs) || endsWithNewline(name, end) {
			size-- // the newline
		}
		if size == 0 {
			continue
		}
		out = append(out, &entry{line: int64(i), offset: off, size: size})
	}
	return out, nil
}

// endsWithNewline reports whether the file of size end ends with a newline (a crash
// can cut the last line short; listen ends it at its next start).
func endsWithNewline(name string, end int64) bool {
	f, err := os.Open(name)
	if err != nil || end == 0 {
		return true
	}
	defer f.Close()
	b := []byte{0}
	_, err = f.ReadAt(b, end-1)
	return err != nil || b[0] == '\n'
}

// lineOffsets reads name once and returns where each line starts, and its size. A
// last line without a newline counts.
func lineOffsets(name string) ([]int64, int64, error) {
	return moreLineOffsets(name, nil, 0)
}

// moreLineOffsets goes on indexing name from end, where the lines offs (all ended by
// a newline) stop.
func moreLineOffsets(name string, offs []int64, end int64) ([]int64, int64, error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return offs, end, nil
	}
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	pos := end
	start := true
	for {
		n, rerr := f.ReadAt(buf, pos)
		chunk := buf[:n]
		for len(chunk) > 0 {
			if start {
				offs = append(offs, pos)
				start = false
			}
			i := bytes.IndexByte(chunk, '\n')
			if i < 0 {
				pos += int64(len(chunk))
				break
			}
			pos += int64(i + 1)
			chunk = chunk[i+1:]
			start = true
		}
		if rerr == io.EOF {
			return offs, pos, nil
		}
		if rerr != nil {
			return nil, 0, fmt.Errorf("read %s: %w", name, rerr)
		}
	}
}
