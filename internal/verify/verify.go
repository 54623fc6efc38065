// Package verify checks, offline, the signatures of hooks that `smarthook listen`
// stored with their request headers: the X-Smartsupp-Hmac header kept in each hook's
// metadata against the HMAC-SHA256 of the body as received under a secret. That is
// the stored body, or for a body --ndjson compacted onto one line, the original
// bytes its metadata line keeps (body_b64), once the line is checked to be that
// body compacted.
//
// Hooks stored with --dir are NAME.json files with NAME.json.meta sidecars; hooks
// appended with --ndjson are lines of FILE described line for line by FILE.meta.
package verify

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/smarthook/smarthook/internal/hookmeta"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/smarthook/smarthook/internal/objstore"
)

// Statuses of one hook.
const (
	Valid       = "valid"        // the signature matches the body as received
	Invalid     = "invalid"      // it does not
	NoSignature = "no signature" // the headers were kept, without a signature
	NoHeaders   = "no headers"   // no metadata was kept with the body
	Changed     = "changed"      // the stored body is not the one received (SHA-256 differs, or the line is not the kept original compacted)
)

// Statuses lists them in the order summaries show them.
var Statuses = []string{Valid, Invalid, Changed, NoSignature, NoHeaders}

// Result is the check of one stored hook.
type Result struct {
	Origin string `json:"origin"` // the file, and :line for NDJSON
	Status string `json:"status"`
}

// Bad reports whether the result should fail the run: a wrong signature, or a body
// that is not what was received and signed.
func (r Result) Bad() bool { return r.Status == Invalid || r.Status == Changed }

// Checker checks hooks under one secret.
type Checker struct {
	Secret []byte
	Meta   string // for a single NDJSON path: its metadata file; FILE.meta when empty
	// S3Endpoint is the storage of s3:// paths ("" for AWS_ENDPOINT_URL or AWS's own).
	S3Endpoint string
}

// Path checks the hooks stored at path (a --dir folder, one .json file, or an
// NDJSON file; or the same as objects, s3://bucket/prefix/) and calls report for
// each, in order.
func (c *Checker) Path(path string, report func(Result)) error {
	if objstore.Is(path) {
		return c.s3(path, report)
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return c.file(path, report)
	}
	return filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != path && (d.Name() == ".outbox" || d.Name() == "rejected") {
				return filepath.SkipDir // forward queue and refused bodies: not stored hooks
			}
			return nil
		}
		name := d.Name()
		if strings.HasPrefix(name, ".") {
			return nil // temporary files
		}
		if strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".ndjson") || strings.HasSuffix(name, ".jsonl") {
			return c.file(p, report)
		}
		return nil
	})
}

func (c *Checker) file(path string, report func(Result)) error {
	if strings.HasSuffix(path, ".json") {
		body, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		meta, err := os.ReadFile(path + hookmeta.MetaSuffix)
		if errors.Is(err, fs.ErrNotExist) {
			meta, err = nil, nil
		}
		if err != nil {
			return err
		}
		report(Result{Origin: path, Status: c.check(body, meta)})
		return nil
	}
	return c.ndjson(path, report)
}

// ndjson checks line N of path against line N of its metadata file.
func (c *Checker) ndjson(path string, report func(Result)) error {
	metaName := c.Meta
	if metaName == "" {
		metaName = path + hookmeta.MetaSuffix
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var metas io.Reader
	if mf, err := os.Open(metaName); err == nil {
		defer mf.Close()
		metas = mf
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return c.lines(path, f, metaName, metas, report)
}

// lines checks line N of bodies, named path, against line N of metas (nil when
// there is no metadata file).
func (c *Checker) lines(path string, bodies io.Reader, metaName string, metas io.Reader, report func(Result)) error {
	var mr *bufio.Reader
	if metas != nil {
		mr = bufio.NewReaderSize(metas, 64<<10)
	}
	br := bufio.NewReaderSize(bodies, 1<<20)
	for n := 1; ; n++ {
		body, err := readLine(br)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		var meta []byte
		if mr != nil {
			if meta, err = readLine(mr); err != nil && err != io.EOF {
				return fmt.Errorf("read %s: %w", metaName, err)
			}
		}
		report(Result{Origin: path + ":" + strconv.Itoa(n), Status: c.check(body, meta)})
	}
}

// readLine is the next line without its newline; io.EOF at the end.
func readLine(r *bufio.Reader) ([]byte, error) {
	line, err := r.ReadBytes('\n')
	if err == io.EOF && len(line) > 0 {
		err = nil
	}
	return bytes.TrimSuffix(line, []byte("\n")), err
}

// check is the status of one body given its metadata (nil when none was kept).
func (c *Checker) check(body, meta []byte) string {
	var m hookmeta.Meta
	if len(bytes.TrimSpace(meta)) == 0 || json.Unmarshal(meta, &m) != nil || m.Headers == nil {
		return NoHeaders
	}
	// The signature is over the body as received: the stored bytes, or for a body
	// --ndjson compacted onto one line, the original its meta keeps.
	body, ok := m.Received(body)
	if !ok {
		return Changed
	}
	sig := strings.TrimSpace(m.Headers.Get(hookmeta.SignatureHeader))
	if sig == "" {
		return NoSignature
	}
	got, err := hex.DecodeString(sig)
	if err != nil {
		return Invalid
	}
	mac := hmac.New(sha256.New, c.Secret)
	mac.Write(body)
	if !hmac.Equal(mac.Sum(nil), got) { // constant time
		return Invalid
	}
	return Valid
}

// Status is the check of one body given its metadata line (nil when none was kept):
// Valid, Invalid, Changed, NoSignature or NoHeaders.
func (c *Checker) Status(body, meta []byte) string { return c.check(body, meta) }
