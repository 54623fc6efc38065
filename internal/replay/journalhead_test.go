package replay

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestJournalHeaderCheckResume(t *testing.T) {
	h := NewJournalHeader("POST", "http://127.0.0.1:8080/hook", []string{"/data/hooks", "/data/chats.ndjson"}, time.Unix(0, 0))
	ok := []struct {
		method, url string
		inputs      []string
	}{
		{"POST", "http://127.0.0.1:8080/hook", []string{"/data/chats.ndjson"}},
		{"post", "HTTP://127.0.0.1:8080/hook", []string{"/data/hooks/2026/a.json"}}, // a file in a folder of the journal
		{"POST", "http://127.0.0.1:8080/hook", []string{"/data"}},                   // a folder holding one
	}
	for _, tt := range ok {
		if err := h.CheckResume(tt.method, tt.url, tt.inputs); err != nil {
			t.Errorf("%s %s %v: %v", tt.method, tt.url, tt.inputs, err)
		}
	}
	if err := h.CheckResume("POST", "http://127.0.0.1:9090/hook", []string{"/data/chats.ndjson"}); err == nil || !strings.Contains(err.Error(), "made for POST http://127.0.0.1:8080/hook") {
		t.Errorf("another URL: %v", err)
	}
	if err := h.CheckResume("POST", "http://127.0.0.1:8080/hook", []string{"/data/hooksx", "-"}); err == nil || !strings.Contains(err.Error(), "other inputs") {
		t.Errorf("other inputs: %v", err)
	}
	if normalURL("https://Example.com:443") != normalURL("https://example.com/") {
		t.Error("a default port or an empty path makes another URL")
	}
}

func TestJournalHeaderIsReadBack(t *testing.T) {
	h := NewJournalHeader("PUT", "http://x/", []string{"-"}, time.Unix(5, 0))
	st, err := ReadJournal(strings.NewReader(string(h.Line()) + string(h.Line())))
	if err != nil || st.Header == nil || st.Header.Method != "PUT" || st.Lines != 0 || st.Broken != 0 {
		t.Errorf("state %+v, %v", st, err)
	}
}

func TestCanonicalPathsAgree(t *testing.T) {
	dir, _ := filepath.EvalSymlinks(t.TempDir())
	file := filepath.Join(dir, "a.ndjson")
	os.WriteFile(file, []byte("{}\n"), 0o644)
	os.Symlink(file, filepath.Join(dir, "link.ndjson"))
	t.Chdir(dir)
	for _, p := range []string{"a.ndjson", "./a.ndjson", file, "link.ndjson", "../" + filepath.Base(dir) + "/a.ndjson"} {
		if got := CanonicalPath(p); got != file {
			t.Errorf("%s: %s, want %s", p, got, file)
		}
	}
	if CanonicalPath("-") != "-" || strings.Join(CanonicalInputs(nil), ",") != "-" {
		t.Error("stdin is not kept as -")
	}
	if got := CanonicalInputs([]string{"*.ndjson"}); len(got) != 2 || got[0] != file || got[1] != file {
		t.Errorf("glob: %v", got)
	}
}
