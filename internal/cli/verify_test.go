package cli

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	body := []byte(`{"accountId":1}`)
	mac := hmac.New(sha256.New, []byte("k"))
	mac.Write(body)
	sum := sha256.Sum256(body)
	meta := func(sig string) string {
		return `{"headers":{"X-Smartsupp-Hmac":["` + sig + `"]},"body_sha256":"` + hex.EncodeToString(sum[:]) + `","body_size":15}`
	}
	os.WriteFile(filepath.Join(dir, "a.json"), body, 0o644)
	os.WriteFile(filepath.Join(dir, "a.json.meta"), []byte(meta(hex.EncodeToString(mac.Sum(nil)))), 0o644)
	secretFile := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secretFile, []byte("k\n"), 0o600)
	var out, errw bytes.Buffer
	opts := &VerifyOptions{IO: IO{Out: &out, Err: &errw}, Paths: []string{dir}, SecretFile: secretFile, Format: "text"}
	if err := runVerify(opts); err != nil || out.String() != filepath.Join(dir, "a.json")+": valid\n" || !strings.Contains(errw.String(), "│ valid") {
		t.Fatalf("valid: %v %q %q", err, out.String(), errw.String())
	}
	os.WriteFile(filepath.Join(dir, "b.json"), body, 0o644)
	os.WriteFile(filepath.Join(dir, "b.json.meta"), []byte(meta("00")), 0o644)
	out.Reset()
	opts.Format = "json"
	var ee *exitError
	if err := runVerify(opts); !errors.As(err, &ee) || ee.Code != ExitProblems || !strings.Contains(out.String(), `"status":"invalid"`) {
		t.Errorf("an invalid hook: %v %q", err, out.String())
	}
	for name, o := range map[string]*VerifyOptions{
		"no secret":    {IO: opts.IO, Paths: opts.Paths},
		"both":         {IO: opts.IO, Paths: opts.Paths, SecretFile: secretFile, SecretEnv: "X"},
		"unset env":    {IO: IO{Out: &out, Err: &errw, Getenv: func(string) string { return "" }}, Paths: opts.Paths, SecretEnv: "X"},
		"missing file": {IO: opts.IO, Paths: opts.Paths, SecretFile: filepath.Join(dir, "nope")},
	} {
		if err := runVerify(o); !errors.As(err, &ee) || ee.Code != ExitUsage {
			t.Errorf("%s: %v, want a usage error", name, err)
		}
	}
}
