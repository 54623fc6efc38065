// Package hookmeta is how a stored hook is described beside its body: the meta
// sidecar listen writes (NAME.json.meta, or line N of FILE.meta for --ndjson) and that
// verify, replay --with-headers and the inspector read, with the NDJSON line a body is
// stored as.
package hookmeta

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"github.com/smarthook/smarthook/internal/jsontext"
	"net/http"
	"time"
)

// MetaSuffix ends the name of the sidecar that describes a stored NAME.json: NAME.json.meta.
const MetaSuffix = ".meta"

// Meta is what listen keeps beside each stored body: when and from where it came, the
// request line and every header (canonical names, all values), so that a signature can
// be checked later (smarthook verify) and the hook replayed as it came
// (replay --with-headers). With --dir it is the sidecar NAME.json.meta; with --ndjson
// FILE it is line N of FILE.meta for line N of FILE.
type Meta struct {
	ReceivedAt string      `json:"received_at"` // RFC 3339 with nanoseconds, UTC
	RemoteAddr string      `json:"remote_addr"`
	Method     string      `json:"method"`
	Path       string      `json:"path"`
	Headers    http.Header `json:"headers"`
	BodySHA256 string      `json:"body_sha256"` // hex SHA-256 of the body as received
	BodySize   int64       `json:"body_size"`   // its length in bytes
	// BodyB64 is the body as received (base64 in JSON), kept only by --ndjson and only
	// when its line is not those bytes: a body over several lines, stored compacted.
	BodyB64 []byte `json:"body_b64,omitempty"`
}

// SignatureHeader is the header Smartsupp signs a webhook's body in: the lower-case hex
// HMAC-SHA256 of the raw body.
const SignatureHeader = "X-Smartsupp-Hmac"

// New describes one received body.
func New(at time.Time, r *http.Request, body []byte) Meta {
	sum := sha256.Sum256(body)
	return Meta{
		ReceivedAt: at.UTC().Format(time.RFC3339Nano), RemoteAddr: r.RemoteAddr,
		Method: r.Method, Path: r.URL.Path, Headers: r.Header.Clone(),
		BodySHA256: hex.EncodeToString(sum[:]), BodySize: int64(len(body)),
	}
}

// Line is the meta as one line of JSON, newline included.
func (m *Meta) Line() []byte {
	b, err := json.Marshal(m)
	if err != nil { // only strings and a header map: cannot fail
		b = []byte("{}")
	}
	return append(b, '\n')
}

// LineKeeping is the meta line with body kept as body_b64. The base64 text is
// encoded once, straight into the line: bodies can be large, and json.Marshal would
// copy it several times.
func (m *Meta) LineKeeping(body []byte) []byte {
	c := *m
	c.BodyB64 = nil
	head := bytes.TrimSuffix(c.Line(), []byte("}\n")) // a JSON object: ends in "}\n"
	key := `,"body_b64":"`
	if len(head) == 1 {
		key = key[1:] // nothing before it
	}
	enc := base64.StdEncoding
	out := make([]byte, 0, len(head)+len(key)+enc.EncodedLen(len(body))+3)
	out = append(append(out, head...), key...)
	out = enc.AppendEncode(out, body)
	return append(out, "\"}\n"...)
}

// Matches reports whether body is the body m describes (size and SHA-256).
func (m *Meta) Matches(body []byte) bool {
	sum := sha256.Sum256(body)
	return m.BodySize == int64(len(body)) && m.BodySHA256 == hex.EncodeToString(sum[:])
}

// Received is the body as received, given the bytes stored for it (a --dir file, or
// a line of --ndjson), and false when the stored bytes are not that body (changed
// since, or another body): see ReceivedBody.
func (m *Meta) Received(stored []byte) ([]byte, bool) {
	return ReceivedBody(stored, m.BodyB64, m.BodySHA256, m.BodySize)
}

// ReceivedBody is the body as received of a hook stored as stored, whose meta
// records received (body_b64, nil when not kept), sha (body_sha256, "" when not
// known) and size (body_size). Without received, the stored bytes are the body and
// must match sha and size. With it, received must match them, and stored must be
// received itself or its NDJSON line (see NDJSONLine): a line edited after it was
// stored is not the body received.
func ReceivedBody(stored, received []byte, sha string, size int64) ([]byte, bool) {
	m := Meta{BodySHA256: sha, BodySize: size}
	if received == nil {
		if sha != "" && !m.Matches(stored) {
			return nil, false
		}
		return stored, true
	}
	if sha != "" && !m.Matches(received) {
		return nil, false
	}
	if !bytes.Equal(stored, received) && !bytes.Equal(stored, NDJSONLine(received)) {
		return nil, false
	}
	return received, true
}

// NDJSONLine is the line --ndjson stores for body: body itself when it holds no
// line break, else body compacted (white space between tokens removed; key order,
// strings and number literals kept), so that every line is one JSON document.
func NDJSONLine(body []byte) []byte {
	if !bytes.ContainsAny(body, "\r\n") {
		return body
	}
	return jsontext.AppendCompact(make([]byte, 0, len(body)), body)
}
