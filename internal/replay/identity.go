package replay

import (
	"os"
	"path/filepath"
	"strconv"

	"github.com/smarthook/smarthook/internal/input"
)

// CanonicalPath is the name a file is known by whatever way it was typed: absolute,
// cleaned, with every symbolic link resolved. Stdin ("-") stays "-". A path that cannot
// be resolved (it vanished) is only made absolute.
func CanonicalPath(p string) string {
	if p == "-" || p == "" {
		return p
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return abs
}

// canonCache remembers the canonical paths of one input worker: resolving links costs
// system calls, and the records of a file all share its path.
type canonCache struct {
	last, lastCanon string
	seen            map[string]string
}

func (c *canonCache) canonical(p string) string {
	if p == c.last && c.lastCanon != "" {
		return c.lastCanon
	}
	canon, ok := c.seen[p]
	if !ok {
		canon = CanonicalPath(p)
		if c.seen == nil || len(c.seen) > 4096 {
			c.seen = make(map[string]string)
		}
		c.seen[p] = canon
	}
	c.last, c.lastCanon = p, canon
	return canon
}

// identity is what a document's id hashes besides its bytes: the canonical path of its
// file, the archive member and its line and column, so that fifty.ndjson,
// ./fifty.ndjson, its absolute path and a link to it give the same ids.
func identity(canon string, o input.Origin) string {
	b := make([]byte, 0, len(canon)+len(o.Member)+24)
	b = append(b, canon...)
	if o.Member != "" {
		b = append(b, ':')
		b = append(b, o.Member...)
	}
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(o.Line), 10)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(o.Col), 10)
	return string(b)
}

// Identity is the identity of the document read at o, as its id hashes it (see NewDocID).
func Identity(o input.Origin) string { return identity(CanonicalPath(o.Path), o) }

// CanonicalInputs are the canonical paths of the inputs a run reads: each path
// resolved (a glob that names no file is expanded first), stdin for none.
func CanonicalInputs(paths []string) []string {
	if len(paths) == 0 {
		return []string{"-"}
	}
	var out []string
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil && p != "-" {
			if matches, gerr := filepath.Glob(p); gerr == nil && len(matches) > 0 {
				for _, m := range matches {
					out = append(out, CanonicalPath(m))
				}
				continue
			}
		}
		out = append(out, CanonicalPath(p))
	}
	return out
}
