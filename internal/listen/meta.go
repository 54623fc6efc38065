package listen

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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
}

// newMeta describes one received body.
func newMeta(at time.Time, r *http.Request, body []byte) Meta {
	sum := sha256.Sum256(body)
	return Meta{
		ReceivedAt: at.UTC().Format(time.RFC3339Nano), RemoteAddr: r.RemoteAddr,
		Method: r.Method, Path: r.URL.Path, Headers: r.Header.Clone(),
		BodySHA256: hex.EncodeToString(sum[:]), BodySize: int64(len(body)),
	}
}

// line is the meta as one line of JSON, newline included.
func (m *Meta) line() []byte {
	b, err := json.Marshal(m)
	if err != nil { // only strings and a header map: cannot fail
		b = []byte("{}")
	}
	return append(b, '\n')
}

// Matches reports whether body is the body m describes (size and SHA-256).
func (m *Meta) Matches(body []byte) bool {
	sum := sha256.Sum256(body)
	return m.BodySize == int64(len(body)) && m.BodySHA256 == hex.EncodeToString(sum[:])
}
