package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
)

// corpusSize is how many generated documents of each kind the corpus tests redact.
const corpusSize = 2000

// expectedPointers lists, independently of the package's code, the pointers of the
// values DefaultFields redacts in doc (decoded by encoding/json).
func expectedPointers(doc map[string]any) []string {
	var ps []string
	if v, ok := doc["visitor"].(map[string]any); ok {
		for _, k := range []string{"name", "email", "ipAddress", "note", "userAgent", "city"} {
			if _, ok := v[k]; ok {
				ps = append(ps, "/visitor/"+k)
			}
		}
		vars, _ := v["variables"].(map[string]any)
		for k := range vars {
			ps = append(ps, "/visitor/variables/"+jsontext.EscapePointerToken(k)+"/value")
		}
	}
	msgs, _ := doc["messages"].([]any)
	for i, m := range msgs {
		m, _ := m.(map[string]any)
		base := "/messages/" + strconv.Itoa(i)
		if m["type"] == "visitor" {
			ps = append(ps, base+"/content", base+"/name")
		}
		if m["content"] == "close.visitorClose" {
			ps = append(ps, base+"/name")
		}
		if from, _ := m["from"].(string); strings.HasPrefix(from, "visitor:") {
			ps = append(ps, base+"/from")
		}
	}
	if ch, ok := doc["channel"].(map[string]any); ok {
		if _, ok := ch["ratingDesc"]; ok {
			ps = append(ps, "/channel/ratingDesc")
		}
	}
	data, _ := doc["data"].(map[string]any)
	conv, _ := data["conversation"].(map[string]any)
	if _, ok := conv["contact"].(map[string]any); ok {
		ps = append(ps, "/data/conversation/contact/name", "/data/conversation/contact/email")
	}
	cm, _ := conv["messages"].([]any)
	for i, m := range cm {
		if m, _ := m.(map[string]any); m["sub_type"] == "contact" {
			ps = append(ps, "/data/conversation/messages/"+strconv.Itoa(i)+"/content/text")
		}
	}
	if r, ok := data["rating"].(map[string]any); ok {
		if _, ok := r["text"]; ok {
			ps = append(ps, "/data/rating/text")
		}
	}
	if m, _ := data["message"].(map[string]any); m["sub_type"] == "contact" {
		if _, isText := m["content"].(string); isText {
			ps = append(ps, "/data/message/content")
		} else {
			ps = append(ps, "/data/message/content/text")
		}
	}
	if c, ok := data["contact"].(map[string]any); ok {
		for _, k := range []string{"name", "email", "phone"} {
			ps = append(ps, "/data/contact/"+k)
		}
		props, _ := c["properties"].(map[string]any)
		for k := range props {
			ps = append(ps, "/data/contact/properties/"+jsontext.EscapePointerToken(k))
		}
	}
	for _, k := range []string{"/data/rating_text", "/data/conversation/rating_text"} {
		if valueAt(doc, k) != nil {
			ps = append(ps, k)
		}
	}
	return append(ps, cityPointers(doc, ps)...)
}

// cityForms are the forms of the generated cities that generated texts use.
var cityForms = map[string][]string{"Brno": {"Brno", "Brně", "Brna"}, "Praha": {"Praha", "Praze", "Prahy"}}

// cityPointers lists the other strings of doc that name the visitor's city as a word
// of their own (not in a URL, a host, a page title or a domain).
func cityPointers(doc map[string]any, taken []string) []string {
	city, _ := valueAt(doc, "/visitor/city").(string)
	for _, p := range []string{"/data/contact/location_city", "/data/conversation/location_city"} {
		if c, ok := valueAt(doc, p).(string); ok && city == "" {
			city = c
		}
	}
	if city == "" {
		return nil
	}
	forms := append([]string{city}, cityForms[city]...)
	skip := map[string]bool{}
	for _, p := range taken {
		skip[p] = true
	}
	var ps []string
	var walk func(pointer, key string, v any)
	walk = func(pointer, key string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				walk(pointer+"/"+jsontext.EscapePointerToken(k), k, e)
			}
		case []any:
			for i, e := range v {
				walk(pointer+"/"+strconv.Itoa(i), key, e)
			}
		case string:
			if skip[pointer] || key == "url" || key == "referer" || key == "title" || key == "domain" || strings.HasSuffix(key, "_url") || strings.HasPrefix(key, "location_") || key == "city" {
				return
			}
			for _, f := range forms {
				if hasWord(v, f) {
					ps = append(ps, pointer)
					return
				}
			}
		}
	}
	walk("", "", doc)
	return ps
}

// hasWord reports w in s with neither a letter nor '.', '/', '-' joined to it.
func hasWord(s, w string) bool {
	for i := 0; ; {
		k := strings.Index(s[i:], w)
		if k < 0 {
			return false
		}
		a, b := i+k, i+k+len(w)
		before, _ := utf8.DecodeLastRuneInString(s[:a])
		after, _ := utf8.DecodeRuneInString(s[b:])
		if (a == 0 || !unicode.IsLetter(before) && !strings.ContainsRune("./-", before)) &&
			(b == len(s) || !unicode.IsLetter(after) && !strings.ContainsRune("./-", after)) {
			return true
		}
		i = b
	}
}

// blank replaces the values at pointers with 0, keeping every other byte.
func blank(t *testing.T, doc []byte, pointers map[string]bool) []byte {
	t.Helper()
	out, err := jsontext.Rewrite(nil, doc, func(p jsontext.Path, k jsontext.Kind, raw []byte) ([]byte, bool) {
		if pointers[p.Pointer()] {
			return []byte("0"), true
		}
		return nil, false
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func decodeJSON(t *testing.T, doc []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("encoding/json: %v\n%s", err, doc)
	}
	return m
}

// TestNothingElseChanges redacts generated hooks and webhooks and checks that only
// the expected values changed: the documents are byte-identical once those values are
// blanked in both, every non-empty one of them did change, and encoding/json agrees.
func TestNothingElseChanges(t *testing.T) {
	r := mustNew(t, testKey)
	for _, kind := range []fake.Kind{fake.KindHook, fake.KindWebhook} {
		g := fake.New(fake.Options{Seed: 11, Kind: kind})
		changedValues := 0
		for i := range corpusSize / 4 {
			orig := g.Append(nil, i)
			got, err := r.Apply(nil, orig)
			if err != nil {
				t.Fatal(err)
			}
			om, gm := decodeJSON(t, orig), decodeJSON(t, got)
			pointers := map[string]bool{}
			for _, p := range expectedPointers(om) {
				pointers[p] = true
			}
			if a, b := blank(t, orig, pointers), blank(t, got, pointers); !bytes.Equal(a, b) {
				t.Fatalf("%s %d: more than the personal data changed:\n%s\n%s", kind, i, orig, got)
			}
			for p := range pointers {
				before, after := valueAt(om, p), valueAt(gm, p)
				empty := before == nil || before == ""
				if empty != reflect.DeepEqual(before, after) {
					t.Fatalf("%s %d: %s went from %#v to %#v", kind, i, p, before, after)
				}
				if !empty {
					changedValues++
				}
				removeAt(om, p)
				removeAt(gm, p)
			}
			if !reflect.DeepEqual(om, gm) {
				t.Fatalf("%s %d: documents differ beyond the redacted members", kind, i)
			}
		}
		if changedValues < corpusSize/4 {
			t.Errorf("%s: only %d values redacted in %d documents", kind, changedValues, corpusSize/4)
		}
	}
}

// valueAt and removeAt follow a pointer through decoded JSON (no escapes needed here).
func valueAt(v any, pointer string) any {
	for _, tok := range strings.Split(pointer[1:], "/") {
		switch c := v.(type) {
		case map[string]any:
			v = c[tok]
		case []any:
			i, _ := strconv.Atoi(tok)
			if i >= len(c) {
				return nil
			}
			v = c[i]
		default:
			return nil
		}
	}
	return v
}

func removeAt(v any, pointer string) {
	cut := strings.LastIndexByte(pointer, '/')
	parent := v
	if cut > 0 {
		parent = valueAt(v, pointer[:cut])
	}
	if m, ok := parent.(map[string]any); ok {
		delete(m, pointer[cut+1:])
	}
}

// TestFakeDocsStayValid redacts generated documents of every kind with every field and
// checks that the core finds exactly what it found before: no new errors or warnings.
func TestFakeDocsStayValid(t *testing.T) {
	r := mustNew(t, testKey, AllFields()...)
	var dec payload.Decoder
	redacted := 0 // webhooks with something personal (visitor events and joins have none)
	for _, kind := range []fake.Kind{fake.KindHook, fake.KindWebhook, fake.KindStats} {
		g := fake.New(fake.Options{Seed: 3, Kind: kind})
		var buf []byte
		for i := range corpusSize {
			orig := g.Append(nil, i)
			d, fs := dec.Decode(orig)
			wantKind, want := d.Kind, describeFindings(fs)
			var err error
			if buf, err = r.Apply(buf[:0], orig); err != nil {
				t.Fatal(err)
			}
			d, fs = dec.Decode(buf)
			if d.Kind != wantKind || describeFindings(fs) != want {
				t.Fatalf("%s %d: kind %v findings %q became kind %v findings %q\n%s", kind, i, wantKind, want, d.Kind, describeFindings(fs), buf)
			}
			if kind == fake.KindHook && bytes.Equal(buf, orig) {
				t.Fatalf("%s %d: nothing was redacted", kind, i)
			}
			if kind == fake.KindWebhook && !bytes.Equal(buf, orig) {
				redacted++
			}
		}
	}
	if redacted < corpusSize/2 {
		t.Errorf("only %d of %d webhooks had something redacted", redacted, corpusSize)
	}
}

func describeFindings(fs []rules.Finding) string {
	var b []byte
	for _, f := range fs {
		b = fmt.Appendf(b, "%s %s %s;", f.Severity, f.Rule, f.Pointer)
	}
	return string(b)
}
