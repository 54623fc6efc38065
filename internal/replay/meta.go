package replay

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"os"

	"github.com/smarthook/smarthook/internal/hookmeta"
	"github.com/smarthook/smarthook/internal/objstore"
)

// Meta is what `smarthook listen` stores beside a hook about its request: for a file
// NAME.json the sidecar NAME.json.meta, for an NDJSON file FILE the file FILE.meta
// whose line N describes line N of FILE.
type Meta = hookmeta.Meta

// MetaSuffix names the sidecar of a stored hook: FILE + MetaSuffix.
const MetaSuffix = hookmeta.MetaSuffix

// hopHeaders are not replayed from a stored request: they describe the connection it
// came on (RFC 9110 section 7.6.1), its length or its host, not the hook.
var hopHeaders = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Connection": true, "Proxy-Authenticate": true,
	"Proxy-Authorization": true, "Te": true, "Trailer": true, "Transfer-Encoding": true,
	"Upgrade": true, "Content-Length": true, "Host": true,
}

// metaReader finds the stored request of each document, in input order: it keeps the
// meta file of the current input file open and reads it forward, so memory stays flat
// whatever the number of documents.
type metaReader struct {
	endpoint string // the storage of s3:// inputs, whose metas are objects too
	path     string // the input file whose meta is open; "" for none
	f        io.ReadCloser
	r        *bufio.Reader
	line     int  // lines of the meta file read so far
	whole    bool // the meta file is one JSON object (a NAME.json's sidecar, maybe indented)
	single   *Meta
	first    []byte // its first line, read to tell which, until metaFor takes it
	err      string // why the current file has no meta
}

// metaFor returns the stored request of the document that starts at line of file
// path (member "" : archives keep none), or why there is none.
func (m *metaReader) metaFor(path, member string, line int) (*Meta, string) {
	if path == "-" || member != "" {
		return nil, "no stored headers for stdin or archive members"
	}
	if path != m.path || line <= m.line && !m.whole {
		m.open(path)
	}
	if m.err != "" {
		return nil, m.err
	}
	if m.whole {
		if line != 1 && m.single != nil {
			return nil, fmt.Sprintf("%s%s holds one request, for line 1 only", path, MetaSuffix)
		}
		return m.single, ""
	}
	for m.line < line {
		raw, err := m.first, error(nil)
		if m.first != nil {
			m.first = nil
		} else {
			raw, err = m.r.ReadBytes('\n')
		}
		if len(raw) == 0 && err != nil {
			return nil, fmt.Sprintf("%s%s has no line %d", path, MetaSuffix, line)
		}
		m.line++
		if m.line == line {
			return parseMeta(bytes.TrimSpace(raw), path, line)
		}
	}
	return nil, fmt.Sprintf("%s%s: line %d not found", path, MetaSuffix, line)
}

// open switches to the meta file of path.
func (m *metaReader) open(path string) {
	m.close()
	m.path, m.line, m.whole, m.single, m.first, m.err = path, 0, false, nil, nil, ""
	f, err := m.openMeta(path + MetaSuffix)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			m.err = "no " + path + MetaSuffix
		} else {
			m.err = fmt.Sprintf("read %s%s: %v", path, MetaSuffix, err)
		}
		return
	}
	m.f, m.r = f, bufio.NewReaderSize(f, 64<<10)
	// A sidecar of one request may be indented over several lines: try it whole when
	// its first line is not a complete object. That line is read whole: a meta line
	// keeping a body (body_b64) can be long.
	first, err := m.r.ReadBytes('\n')
	if err == nil && json.Valid(bytes.TrimSpace(first)) {
		m.first = first
		return
	}
	rest, rerr := io.ReadAll(io.LimitReader(m.r, 1<<20))
	if err == nil || err == io.EOF {
		err = rerr
	}
	if err != nil {
		m.err = fmt.Sprintf("read %s%s: %v", path, MetaSuffix, err)
		return
	}
	m.whole = true
	m.single, m.err = parseMeta(bytes.TrimSpace(append(first, rest...)), path, 1)
}

// openMeta opens a meta file, or object for an s3:// input (a missing one is
// os.ErrNotExist either way).
func (m *metaReader) openMeta(name string) (io.ReadCloser, error) {
	if !objstore.Is(name) {
		return os.Open(name)
	}
	ctx := context.Background()
	u, err := objstore.Parse(name)
	if err != nil {
		return nil, err
	}
	c, err := objstore.Client(ctx, objstore.Config{Endpoint: m.endpoint})
	if err != nil {
		return nil, err
	}
	return objstore.Open(ctx, c, u.Bucket, u.Key) // a missing one is fs.ErrNotExist
}

func (m *metaReader) close() {
	if m.f != nil {
		m.f.Close()
		m.f, m.r = nil, nil
	}
}

func parseMeta(raw []byte, path string, line int) (*Meta, string) {
	var meta Meta
	if len(raw) == 0 {
		return nil, fmt.Sprintf("%s%s line %d is empty", path, MetaSuffix, line)
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		return nil, fmt.Sprintf("%s%s line %d is not a meta object: %v", path, MetaSuffix, line, err)
	}
	return &meta, ""
}

// requestHeaders are the stored headers to send again with a document stored as
// stored, whose bytes hash to sum, and the body as received (stored, or the original
// the meta keeps of a line listen compacted); or why there are none: the meta must
// describe the document (see hookmeta.ReceivedBody). Connection headers, Content-Length
// and Host are left out; so is the signature header sign when the body is rewritten
// (a stale signature would be refused).
func requestHeaders(meta *Meta, sum, stored []byte, rewritten bool, sign string) (http.Header, []byte, string) {
	received := stored
	if meta.BodyB64 != nil {
		var ok bool
		if received, ok = meta.Received(stored); !ok {
			return nil, nil, "stored headers not used: the document is not the body the meta keeps (body_b64), compacted"
		}
	} else if meta.BodySHA256 != "" && meta.BodySHA256 != hex.EncodeToString(sum) {
		return nil, nil, "stored headers not used: body_sha256 of the meta does not match the document"
	}
	h := make(http.Header, len(meta.Headers))
	for k, vs := range meta.Headers {
		key := textproto.CanonicalMIMEHeaderKey(k)
		if hopHeaders[key] || (rewritten && key == textproto.CanonicalMIMEHeaderKey(sign)) {
			continue
		}
		h[key] = append(h[key], vs...)
	}
	return h, received, ""
}

// HeaderCounts are what --with-headers did, as the report gives them.
type HeaderCounts struct {
	Applied  int `json:"applied"`  // documents sent with their stored headers
	Missing  int `json:"missing"`  // no meta for them: sent with the default headers
	Mismatch int `json:"mismatch"` // their meta's body_sha256 differs: default headers
}

// attachHeaders gives a document to be sent its stored request's headers (meta, or
// why there is none), counting and telling what it could not do.
func (r *run) attachHeaders(d *doc, meta *Meta, why string) {
	if d.state != stateSend {
		return
	}
	c := &r.headerCounts
	if meta == nil {
		c.Missing++
		r.notice(d.origin, "--with-headers: "+why+"; sent with the default headers")
		return
	}
	h, received, why := requestHeaders(meta, d.sum[:], d.stored, d.rewritten && len(r.opts.Target.SignSecret) == 0, r.sender.target.SignHeader)
	if h == nil {
		c.Mismatch++
		r.notice(d.origin, "--with-headers: "+why)
		return
	}
	c.Applied++
	d.headers = h
	if !d.rewritten {
		// The bytes that were signed, not their compacted line.
		d.body = received
	}
}

// notice tells Options.Notice, when set.
func (r *run) notice(origin, msg string) {
	if r.opts.Notice != nil {
		r.opts.Notice(origin, msg)
	}
}
