package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, contents ...string) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for i, c := range contents {
		p := filepath.Join(dir, string(rune('a'+i))+".json")
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func merge(t *testing.T, paths ...string) (out, warn string, err error) {
	var o, w bytes.Buffer
	err = Merge(MergeOptions{Paths: paths, Out: &o, Err: &w})
	return o.String(), w.String(), err
}

func TestMergeValidateShards(t *testing.T) {
	paths := writeFiles(t,
		`{"file":"x","message":"first"}`+"\n"+`{"report":"validate","shard":"0/2","files":3,"documents":10,"kinds":{"hook":9,"webhook":1},"documents_with_errors":1,"errors":2,"warnings":0,"unreadable_paths":1}`+"\n",
		`{"report":"validate","shard":"1/2","files":3,"documents":5,"kinds":{"hook":5},"documents_with_errors":0,"errors":0,"warnings":4,"unreadable_paths":1}`+"\n",
	)
	out, warn, err := merge(t, paths...)
	if err != nil || warn != "" {
		t.Fatalf("%v %s", err, warn)
	}
	want := `{"file":"x","message":"first"}` + "\n" +
		`{"report":"validate","files":3,"documents":15,"kinds":{"hook":14,"webhook":1},"documents_with_errors":1,"errors":2,"warnings":4,"unreadable_paths":1}` + "\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestMergeRefuses(t *testing.T) {
	v := `{"report":"validate","shard":"0/2","files":1,"documents":1,"kinds":{}}` + "\n"
	c := `{"report":"convert","rows_kind":"chats","rows":1,"documents":1}` + "\n"
	c2 := `{"report":"convert","rows_kind":"messages","rows":1,"documents":1}` + "\n"
	for name, files := range map[string][]string{
		"shard twice":   {v, v},
		"mixed kinds":   {v, c},
		"other --rows":  {c, c2},
		"no report":     {`{"file":"x"}` + "\n"},
		"bad shard":     {`{"report":"validate","shard":"3/2"}` + "\n"},
		"broken report": {`{"report":"validate","documents":"many"}` + "\n"},
	} {
		if _, _, err := merge(t, writeFiles(t, files...)...); err == nil {
			t.Errorf("%s: merged", name)
		}
	}
	if _, _, err := merge(t, filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("a missing file: %v", err)
	}
}

func TestMergeWarnsAboutMissingShard(t *testing.T) {
	paths := writeFiles(t, `{"report":"convert","shard":"0/3","rows_kind":"chats","rows":2,"documents":2,"converted":2,"kinds":{"hook":2}}`+"\n")
	out, warn, err := merge(t, paths...)
	if err != nil || !strings.Contains(warn, "1/3, 2/3 missing") || !strings.Contains(out, `"shard":"partial"`) {
		t.Errorf("%v %q %q", err, warn, out)
	}
}
