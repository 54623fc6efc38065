package inspect

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"github.com/smarthook/smarthook/internal/hookmeta"
	"io"
	"net/http"
	"net/url"
	"time"
)

// resendTimeout bounds one resend.
const resendTimeout = 10 * time.Second

// ResendResult is what the target answered.
type ResendResult struct {
	Target string `json:"target"`
	Status int    `json:"status"` // 0 when no answer came
	Error  string `json:"error,omitempty"`
}

func newResendClient(insecure bool) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: insecure} // #nosec G402 -- only with --insecure
	return &http.Client{
		Transport: tr,
		Timeout:   resendTimeout,
		// A redirect is the target's answer: show it, do not follow it.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// serveResend posts a hook's body, as received, to {"url": ...} or, when that is
// empty, to the --forward target. Only http and https URLs are taken.
func (in *Inspector) serveResend(w http.ResponseWriter, r *http.Request) {
	e := in.entryOf(w, r, "id")
	if e == nil {
		return
	}
	var req struct {
		URL string `json:"url"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil && err != io.EOF {
		writeError(w, http.StatusBadRequest, "the request is not JSON like {\"url\": \"http://...\"}: "+err.Error())
		return
	}
	target := req.URL
	if target == "" {
		target = in.opts.Forward
	}
	if target == "" {
		writeError(w, http.StatusBadRequest, "no URL given, and listen has no --forward target")
		return
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		writeError(w, http.StatusBadRequest, "resend takes an http:// or https:// URL, not "+target)
		return
	}
	body, meta, err := in.store.load(e)
	if err != nil {
		writeError(w, http.StatusGone, err.Error())
		return
	}
	ctx, cancel := in.serveContext(r)
	defer cancel()
	res := in.resend(ctx, u.String(), body, meta)
	writeJSON(w, http.StatusOK, res)
}

// resend posts body with its Content-Type and signature; to the --forward target the
// signature is made again under the forward secret when there is one.
func (in *Inspector) resend(ctx context.Context, target string, body, meta []byte) ResendResult {
	res := ResendResult{Target: target}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		res.Error = err.Error()
		return res
	}
	var m hookmeta.Meta
	_ = json.Unmarshal(meta, &m) // no metadata: sent as JSON, unsigned
	ctype, sig := "application/json", ""
	if m.Headers != nil {
		if v := m.Headers.Get("Content-Type"); v != "" {
			ctype = v
		}
		sig = m.Headers.Get(hookmeta.SignatureHeader)
	}
	if target == in.opts.Forward && in.opts.ForwardSecret != nil {
		mac := hmac.New(sha256.New, in.opts.ForwardSecret)
		mac.Write(body)
		sig = hex.EncodeToString(mac.Sum(nil))
	}
	req.Header.Set("Content-Type", ctype)
	if sig != "" {
		req.Header.Set(hookmeta.SignatureHeader, sig)
	}
	req.Header.Set("User-Agent", in.opts.UserAgent)
	resp, err := in.resendClient.Do(req)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	res.Status = resp.StatusCode
	return res
}
