package cli

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }

// quietLog keeps the handshake errors that TLS tests cause on purpose out of the output.
var quietLog = log.New(io.Discard, "", 0)

func TestReplayTLS(t *testing.T) {
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	s.Config.ErrorLog = quietLog // the refused handshake is the point
	s.StartTLS()
	defer s.Close()
	dir := t.TempDir()
	ca := filepath.Join(dir, "server.pem")
	writePEM(t, ca, "CERTIFICATE", s.Certificate().Raw)

	_, errOut, code := replayCLI(t, nil, chatLine("1"), "replay", "--retries", "0", s.URL)
	if code != ExitProblems || !regexpMatch(`TLS certificate not trusted +│ 1 `, errOut) {
		t.Errorf("unknown CA: exit %d, want 1 with the reason:\n%s", code, errOut)
	}
	_, errOut, code = replayCLI(t, nil, chatLine("1"), "replay", "--cacert", ca, s.URL)
	if code != 0 {
		t.Errorf("--cacert: exit %d:\n%s", code, errOut)
	}
	_, errOut, code = replayCLI(t, nil, chatLine("1"), "replay", "--insecure", s.URL)
	if code != 0 {
		t.Errorf("--insecure: exit %d:\n%s", code, errOut)
	}
}

func TestReplayClientCertificate(t *testing.T) {
	var seen []string
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, c := range r.TLS.PeerCertificates {
			seen = append(seen, c.Subject.CommonName)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	s.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	s.Config.ErrorLog = quietLog
	s.StartTLS()
	defer s.Close()
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key")
	writeClientCert(t, certFile, keyFile)

	_, _, code := replayCLI(t, nil, chatLine("1"), "replay", "--insecure", "--retries", "0", s.URL)
	if code != ExitProblems {
		t.Errorf("no client certificate: exit %d, want 1", code)
	}
	_, errOut, code := replayCLI(t, nil, chatLine("1"), "replay", "--insecure", "--cert", certFile, "--key", keyFile, s.URL)
	if code != 0 || len(seen) != 1 || seen[0] != "smarthook test client" {
		t.Errorf("--cert/--key: exit %d, server saw %v:\n%s", code, seen, errOut)
	}
	_, errOut, code = replayCLI(t, nil, chatLine("1"), "replay", "--key", keyFile, s.URL)
	if code != ExitUsage || !strings.Contains(errOut, "--key needs --cert") {
		t.Errorf("--key alone: exit %d: %s", code, errOut)
	}
}

func writePEM(t *testing.T, name, kind string, der []byte) {
	t.Helper()
	if err := os.WriteFile(name, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeClientCert makes a self-signed client certificate and its key.
func writeClientCert(t *testing.T, certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smarthook test client"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, certFile, "CERTIFICATE", der)
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, keyFile, "EC PRIVATE KEY", keyDER)
}
