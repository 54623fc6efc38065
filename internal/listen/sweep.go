package listen

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// tempName matches the temporary files of package atomicfile: ".<final name>.<random>.tmp".
var tempName = regexp.MustCompile(`^\.(.+)\.[0-9]+\.tmp$`)

// sweep deals with what a crash left under Dir: a temporary body whose meta was
// published and which is whole (it parses as JSON and matches the meta's size and
// SHA-256) is published under its final name; other temporary files, and metas
// whose body never came, are removed. What it did is said on Err.
func (s *Server) sweep() error {
	var published, removed []string
	err := filepath.WalkDir(s.opts.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		m := tempName.FindStringSubmatch(d.Name())
		if d.IsDir() || m == nil {
			return nil
		}
		final := filepath.Join(filepath.Dir(p), m[1])
		if completeTemp(p, final) {
			published = append(published, final)
			return nil
		}
		if err := os.Remove(p); err != nil {
			return err
		}
		removed = append(removed, p)
		// A meta whose body was never published describes a hook never answered 2xx.
		if strings.HasSuffix(final, ".json") && !exists(final) && exists(final+MetaSuffix) {
			if err := os.Remove(final + MetaSuffix); err == nil {
				removed = append(removed, final+MetaSuffix)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sweep %s: %w", s.opts.Dir, err)
	}
	for _, p := range published {
		s.warn("completed a hook a crash left unpublished: %s", p)
	}
	for _, p := range removed {
		s.warn("removed what a crash left half-written: %s", p)
	}
	return nil
}

// completeTemp publishes the temporary body tmp as final when it is whole, and says
// whether it did.
func completeTemp(tmp, final string) bool {
	if !strings.HasSuffix(final, ".json") || exists(final) {
		return false
	}
	mb, err := os.ReadFile(final + MetaSuffix)
	if err != nil {
		return false
	}
	var m Meta
	if json.Unmarshal(mb, &m) != nil {
		return false
	}
	body, err := os.ReadFile(tmp)
	if err != nil || !m.Matches(body) || !json.Valid(body) {
		return false
	}
	f, err := os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return false
	}
	err = f.Sync()
	f.Close()
	if err != nil || os.Chmod(tmp, 0o644) != nil || os.Link(tmp, final) != nil {
		return false
	}
	os.Remove(tmp)
	return true
}

func exists(name string) bool {
	_, err := os.Lstat(name)
	return err == nil
}
