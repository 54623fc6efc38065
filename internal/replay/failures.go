package replay

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// bodyPreview is how many bytes of a response's body are kept: shown for 4xx and 5xx
// answers in the report and for every answer with --show-response.
const bodyPreview = 200

// Failure is one reason requests failed, as the report lists it.
type Failure struct {
	Reason    string `json:"reason"`    // e.g. "connection refused", "HTTP status 503"
	Count     int    `json:"count"`     // requests that failed so, retries included
	Documents int    `json:"documents"` // documents whose final attempt failed so
	Example   string `json:"example"`   // the origin of the first document that met it
	Body      string `json:"body,omitempty"`
}

// reason names why an attempt failed, in words a user acts on; "" for a 2xx.
func reason(res *result) string {
	if res.err == nil {
		if res.status/100 == 2 {
			return ""
		}
		return "HTTP status " + strconv.Itoa(res.status)
	}
	return errorReason(res.err)
}

// errorReason names a network-level failure.
func errorReason(err error) string {
	var (
		unknownCA *x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		invalid   x509.CertificateInvalidError
		tlsAlert  tls.AlertError
		recordErr tls.RecordHeaderError
		verifyErr *tls.CertificateVerificationError
		dnsErr    *net.DNSError
	)
	switch {
	case errors.Is(err, errTimeout):
		return "timeout"
	case errors.Is(err, errAborted):
		return "aborted"
	case errors.As(err, &unknownCA):
		return "TLS certificate not trusted"
	case errors.As(err, &hostErr):
		return "TLS certificate is for another host"
	case errors.As(err, &invalid):
		return "TLS certificate invalid (expired or not yet valid)"
	case errors.As(err, &verifyErr):
		return "TLS certificate not trusted"
	case errors.As(err, &recordErr):
		return "TLS handshake failed: the receiver does not speak TLS (try http://)"
	case errors.As(err, &tlsAlert):
		return "TLS handshake refused by the receiver"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed without an answer"
	case errors.As(err, &dnsErr):
		return "host not found"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "host unreachable"
	case isMalformedHTTP(err):
		return "malformed HTTP answer (does the receiver speak HTTPS? try https://)"
	}
	return "network error"
}

func isMalformedHTTP(err error) bool {
	return strings.Contains(err.Error(), "malformed HTTP")
}

// failureTable counts the failures by reason, in order of first appearance.
type failureTable struct {
	byReason map[string]int // index in list
	list     []Failure
}

// add counts a failed attempt of the document at origin; final says it was its last.
func (t *failureTable) add(why, origin string, body []byte, final bool) {
	if t.byReason == nil {
		t.byReason = make(map[string]int)
	}
	i, ok := t.byReason[why]
	if !ok {
		i = len(t.list)
		t.byReason[why] = i
		t.list = append(t.list, Failure{Reason: why, Example: origin, Body: previewText(body)})
	}
	f := &t.list[i]
	f.Count++
	if final {
		f.Documents++
	}
}

// sorted is the failures, most requests first.
func (t *failureTable) sorted() []Failure {
	out := slices.Clone(t.list)
	slices.SortStableFunc(out, func(a, b Failure) int { return b.Count - a.Count })
	if out == nil {
		out = []Failure{}
	}
	return out
}

// previewText is the start of a response body as text: valid UTF-8, line breaks as
// spaces (see appendPreview).
func previewText(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	b := appendPreview(nil, body)
	for len(b) > 0 && b[len(b)-1] == '\n' {
		b = b[:len(b)-1]
	}
	return string(b)
}
