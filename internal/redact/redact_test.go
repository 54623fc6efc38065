package redact

import (
	"bytes"
	"errors"
	"net/netip"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/smarthook/smarthook/internal/jsontext"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

func mustNew(t testing.TB, key []byte, fields ...string) *Redactor {
	t.Helper()
	r, err := New(Options{Key: key, Fields: fields})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func apply(t testing.TB, r *Redactor, doc string) string {
	t.Helper()
	out, err := r.Apply(nil, []byte(doc))
	if err != nil {
		t.Fatalf("Apply(%s): %v", doc, err)
	}
	if err := jsontext.Valid(out); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	return string(out)
}

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/samples/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNewErrors(t *testing.T) {
	if _, err := New(Options{}); !errors.Is(err, ErrNoKey) {
		t.Errorf("no key: got %v, want ErrNoKey", err)
	}
	_, err := New(Options{Key: testKey, Fields: []string{"visitor.email", "visitor.mail"}})
	if !errors.Is(err, ErrUnknownField) || !strings.Contains(err.Error(), `"visitor.mail"`) {
		t.Errorf("unknown field: got %v", err)
	}
	for _, name := range AllFields() {
		if _, err := New(Options{Key: testKey, Fields: []string{name}}); err != nil || Describe(name) == "" {
			t.Errorf("field %s: %v, description %q", name, err, Describe(name))
		}
	}
	def := DefaultFields()
	want := []string{"visitor.name", "visitor.email", "visitor.ipAddress", "visitor.note", "visitor.userAgent",
		"visitor.variables", "visitor.city", "messages.visitor", "messages.from", "channel.ratingDesc",
		"contact.name", "contact.email", "contact.phone", "contact.properties", "contact.location",
		"messages.contact", "rating.text"}
	if strings.Join(def, ",") != strings.Join(want, ",") {
		t.Errorf("DefaultFields() = %v, want %v", def, want)
	}
	for _, name := range def {
		if !IsDefault(name) {
			t.Errorf("IsDefault(%s) = false", name)
		}
	}
	if IsDefault("paths") || IsDefault("nope") {
		t.Error("IsDefault is true for a field outside the defaults")
	}
}

func TestDocExample(t *testing.T) {
	doc := readSample(t, "doc-example.json")
	got := apply(t, mustNew(t, testKey), string(doc))
	for _, gone := range []string{"Dusan Kmet", "dusan@domain.com", "VIP customer", "89.235.0.55", "Chrome/41", "mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015", `"pro"`, `"1234"`, `"Hello"`, `"tanks."`} {
		if strings.Contains(got, gone) {
			t.Errorf("%s is still in the output", gone)
		}
	}
	// What is not personal stays, byte for byte: agents, system codes, pages, ids.
	for _, kept := range []string{`"name": "John Doe"`, `"content": "Hi, how can i help you ?"`, `"content": "close.visitorClose"`,
		`"label":"Chat ID"`, `"from": "agent:3"`,
		`"url": "http://developers.smartsupp.com/smartsupp/hook-post"`, "\"id\": 27671,\n", `"group": null`, `"referer": ""`} {
		if !strings.Contains(got, kept) {
			t.Errorf("%s is missing from the output", kept)
		}
	}
	lines, gotLines := strings.Split(string(doc), "\n"), strings.Split(got, "\n")
	if len(lines) != len(gotLines) {
		t.Fatalf("%d lines became %d", len(lines), len(gotLines))
	}
	changed := 0
	for i := range lines {
		if lines[i] != gotLines[i] {
			changed++
		}
	}
	// name, email, note, ipAddress, city, userAgent, 3 variables, 2 visitor messages,
	// 2 names, 2 visitor keys in from.
	if changed != 15 {
		t.Errorf("%d lines changed, want 15:\n%s", changed, got)
	}
}

func TestShapes(t *testing.T) {
	r := mustNew(t, testKey, AllFields()...)
	tag := `[0-9a-f]{10}`
	tests := []struct {
		field, doc, pointer, want string // want: a regular expression for the new string
	}{
		{"name", `{"visitor":{"name":"Jana Nováková"}}`, "/visitor/name", `^Visitor ` + tag + `$`},
		{"email", `{"visitor":{"email":"jana@example.cz"}}`, "/visitor/email", `^visitor-` + tag + `@example\.invalid$`},
		{"note", `{"visitor":{"note":"calls back\nat 5"}}`, "/visitor/note", `^\[redacted 15 chars ` + tag + `\]$`},
		{"one char", `{"messages":[{"type":"visitor","content":"?"}]}`, "/messages/0/content", `^\[redacted 1 char ` + tag + `\]$`},
		{"user agent", `{"visitor":{"userAgent":"Mozilla/5.0 (X11) Firefox/120"}}`, "/visitor/userAgent", `^Mozilla/5\.0 \(redacted ` + tag + `\)$`},
		{"digits stay digits", `{"visitor":{"variables":{"u":{"label":"User","value":"004211"}}}}`, "/visitor/variables/u/value", `^[0-9]{6}$`},
		{"address in a variable", `{"visitor":{"variables":{"u":{"value":"a@b.cz"}}}}`, "/visitor/variables/u/value", `^visitor-` + tag + `@example\.invalid$`},
		{"text in a variable", `{"visitor":{"variables":{"u":{"value":"gold plan"}}}}`, "/visitor/variables/u/value", `^value-` + tag + `$`},
		{"city", `{"visitor":{"city":"Brno"}}`, "/visitor/city", `^Place ` + tag + `$`},
		{"referer keeps the site", `{"visitor":{"referer":"https://www.google.com/search?q=jana"}}`, "/visitor/referer", `^https://www\.google\.com/p-` + tag + `$`},
		{"relative url", `{"paths":[{"url":"/account?mail=x@y.cz","title":"My account"}]}`, "/paths/0/url", `^https://example\.invalid/p-` + tag + `$`},
		{"page title", `{"paths":[{"url":"/a","title":"Jana's orders"}]}`, "/paths/0/title", `^Page ` + tag + `$`},
		{"visitor key", `{"messages":[{"type":"agent","from":"visitor:abcDEF123"}]}`, "/messages/0/from", `^visitor:` + tag + `$`},
		{"bare visitor key", `{"messages":[{"type":"visitor","from":"abcDEF123"}]}`, "/messages/0/from", `^` + tag + `$`},
		{"agent stays", `{"messages":[{"type":"agent","from":"agent:3"}]}`, "/messages/0/from", `^agent:3$`},
		{"rating comment", `{"channel":{"ratingDesc":"slow"}}`, "/channel/ratingDesc", `^\[redacted 4 chars ` + tag + `\]$`},
		{"webhook rating", `{"data":{"rating":{"value":5,"text":"ok"}}}`, "/data/rating/text", `^\[redacted 2 chars ` + tag + `\]$`},
		{"contact", `{"data":{"contact":{"name":"Jana","email":"J@X.CZ"}}}`, "/data/contact/name", `^Visitor ` + tag + `$`},
		{"agent text", `{"messages":[{"type":"agent","content":"Hi Jana"}]}`, "/messages/0/content", `^\[redacted 7 chars ` + tag + `\]$`},
		{"unknown type stays", `{"messages":[{"type":"bot","content":"Hi"}]}`, "/messages/0/content", `^Hi$`},
		{"escaped type", `{"messages":[{"type":"\u0076isitor","content":"secret"}]}`, "/messages/0/content", `^\[redacted 6 chars ` + tag + `\]$`},
		{"label stays", `{"visitor":{"variables":{"u":{"label":"Jana","value":1}}}}`, "/visitor/variables/u/label", `^Jana$`},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			got := apply(t, r, tt.doc)
			v := stringAt(t, got, tt.pointer)
			if !regexp.MustCompile(tt.want).MatchString(v) {
				t.Errorf("%s = %q, want %s\n%s", tt.pointer, v, tt.want, got)
			}
		})
	}
}

// stringAt returns the text of the string at pointer in doc.
func stringAt(t *testing.T, doc, pointer string) string {
	t.Helper()
	var got string
	found := false
	_, err := jsontext.Rewrite(nil, []byte(doc), func(p jsontext.Path, k jsontext.Kind, raw []byte) ([]byte, bool) {
		if k == jsontext.String && p.Pointer() == pointer {
			got, found = jsontext.Text(raw[1:len(raw)-1], true), true
		}
		return nil, false
	}, nil)
	if err != nil || !found {
		t.Fatalf("no string at %s in %s (%v)", pointer, doc, err)
	}
	return got
}

func TestIPAddresses(t *testing.T) {
	r := mustNew(t, testKey)
	v4, v6 := netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("2001:db8::/32")
	for _, ip := range []string{"89.235.0.55", "2a00:1028:83a0::1", "::ffff:10.0.0.1", "not an address", "fe80::1%eth0"} {
		got := stringAt(t, apply(t, r, `{"visitor":{"ipAddress":"`+ip+`"}}`), "/visitor/ipAddress")
		a, err := netip.ParseAddr(got)
		if err != nil || !(v4.Contains(a) || v6.Contains(a)) {
			t.Errorf("%s became %q, outside the documentation ranges", ip, got)
		}
		if strings.Contains(ip, "::1") && !v6.Contains(a) {
			t.Errorf("IPv6 %s became %s", ip, got)
		}
	}
	// A proxy chain keeps its form; the same address written two ways is one address.
	chain := stringAt(t, apply(t, r, `{"visitor":{"ipAddress":"1.2.3.4, 2001:0db8:0:0::7"}}`), "/visitor/ipAddress")
	if !regexp.MustCompile(`^192\.0\.2\.\d+, 2001:db8:`).MatchString(chain) {
		t.Errorf("chain became %q", chain)
	}
	a := stringAt(t, apply(t, r, `{"visitor":{"ipAddress":"2001:db8::7"}}`), "/visitor/ipAddress")
	if !strings.HasSuffix(chain, ", "+a) {
		t.Errorf("2001:db8::7 gave %s alone and %s in a chain", a, chain)
	}
}

func TestKeepsTypesAndEmpties(t *testing.T) {
	r := mustNew(t, testKey)
	doc := `{"visitor":{"name":null,"email":"","note":true,"variables":{"a":{"label":"A","value":12345},"b":{"value":-0.25e+3},` +
		`"c":{"value":null},"d":{"value":false},"e":{"value":""},"f":{"value":[1,"x"]},"g":"bare"}}}`
	got := apply(t, r, doc)
	for _, kept := range []string{`"name":null`, `"email":""`, `"note":true`, `"c":{"value":null}`, `"d":{"value":false}`, `"e":{"value":""}`} {
		if !strings.Contains(got, kept) {
			t.Errorf("%s changed: %s", kept, got)
		}
	}
	m := regexp.MustCompile(`"a":\{"label":"A","value":([1-9][0-9]{4})\},"b":\{"value":(-[0-9]\.[0-9]{2}e\+3)\}`).FindStringSubmatch(got)
	if m == nil || m[1] == "12345" {
		t.Errorf("numbers lost their shape or were kept: %s", got)
	}
	if !regexp.MustCompile(`"f":\{"value":\[[0-9],"value-[0-9a-f]{10}"\]\},"g":"value-[0-9a-f]{10}"`).MatchString(got) {
		t.Errorf("values inside containers: %s", got)
	}
}

func TestDeterminismAndKeys(t *testing.T) {
	a, b := mustNew(t, testKey), mustNew(t, append([]byte(nil), testKey...))
	other := mustNew(t, []byte("another key"))
	doc1 := `{"accountId":1,"visitor":{"name":"Jana","email":"Jana@Example.cz"},"messages":[]}`
	doc2 := `{"accountId":2, "visitor": {"email": " jana@example.CZ", "name":"Jana"},"messages":[]}`
	x, y := apply(t, a, doc1), apply(t, b, doc1)
	if x != y {
		t.Errorf("two redactors with one key differ:\n%s\n%s", x, y)
	}
	if again := apply(t, a, doc1); again != x {
		t.Errorf("a second Apply differs: %s", again)
	}
	z := apply(t, other, doc1)
	if stringAt(t, z, "/visitor/name") == stringAt(t, x, "/visitor/name") || stringAt(t, z, "/visitor/email") == stringAt(t, x, "/visitor/email") {
		t.Errorf("another key gives the same pseudonyms:\n%s\n%s", x, z)
	}
	// One value, one pseudonym, in any document; addresses ignore case and blanks.
	w := apply(t, a, doc2)
	for _, p := range []string{"/visitor/name", "/visitor/email"} {
		if stringAt(t, w, p) != stringAt(t, x, p) {
			t.Errorf("%s differs between documents: %s vs %s", p, stringAt(t, w, p), stringAt(t, x, p))
		}
	}
	// A visitor and a webhook contact with the same name and address stay one person.
	c := apply(t, a, `{"type":"event_callback","data":{"conversation":{"contact":{"name":"Jana","email":"jana@example.cz"}}}}`)
	if stringAt(t, c, "/data/conversation/contact/name") != stringAt(t, x, "/visitor/name") ||
		stringAt(t, c, "/data/conversation/contact/email") != stringAt(t, x, "/visitor/email") {
		t.Errorf("contact and visitor differ:\n%s\n%s", c, x)
	}
}

// TestMessageKindsDiscovered covers documents where the member saying whose a message
// is comes after its content, or twice (duplicate keys): the text must still go.
func TestMessageKindsDiscovered(t *testing.T) {
	r := mustNew(t, testKey)
	for _, doc := range []string{
		`{"accountId":1,"messages":[{"content":"SECRET","type":"visitor","type":"agent"}]}`,
		`{"accountId":1,"messages":[{"type":"agent","content":"ok"}],"messages":[{"content":"SECRET","type":"visitor"}]}`,
		`{"type":"event_callback","data":{"conversation":{"messages":[{"content":{"text":"SECRET","type":"text"},"sub_type":"contact"}]}}}`,
		`{"type":"event_callback","data":{"message":{"content":{"type":"text","text":"SECRET"},"sub_type":"contact"}}}`,
		`{"data":{"message":{"sub_type":"contact","content":{"type":"text","text":"SECRET"}}}}`,
	} {
		got := apply(t, r, doc)
		if strings.Contains(got, "SECRET") {
			t.Errorf("the visitor's text stayed: %s", got)
		}
		if !strings.Contains(got, "[redacted 6 chars ") {
			t.Errorf("no text pseudonym: %s", got)
		}
	}
	got := apply(t, r, `{"type":"event_callback","data":{"message":{"sub_type":"agent","content":{"type":"text","text":"Hello"}}}}`)
	if !strings.Contains(got, `"text":"Hello"`) || !strings.Contains(got, `"type":"text"`) {
		t.Errorf("an agent's webhook message changed: %s", got)
	}
}

func TestBOMErrorsAndOtherDocs(t *testing.T) {
	r := mustNew(t, testKey)
	out, err := r.Apply(nil, []byte("\uFEFF {\"visitor\":{\"name\":\"A\"}} \n"))
	got := string(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, "\uFEFF {\"visitor\":{\"name\":\"Visitor ") || !strings.HasSuffix(got, "\"}} \n") {
		t.Errorf("byte-order mark or white space lost: %q", got)
	}
	for _, bad := range []string{"", `{"visitor":{"name":"A",}}`, `{"a":1} {}`, "{\"a\":\"\xff\"}"} {
		out, err := r.Apply([]byte("kept"), []byte(bad))
		var se *jsontext.SyntaxError
		if !errors.As(err, &se) || string(out) != "kept" {
			t.Errorf("Apply(%q) = %q, %v; want dst unchanged and a syntax error", bad, out, err)
		}
	}
	stats := readSample(t, "stats.json")
	if got := apply(t, r, string(stats)); got != string(stats) {
		t.Error("a stats report changed")
	}
	for _, doc := range []string{`[{"visitor":{"name":"A"}}]`, `"Jana"`, `{"name":"Jana","email":"a@b.cz"}`} {
		if got := apply(t, r, doc); got != doc {
			t.Errorf("%s became %s", doc, got)
		}
	}
}

func TestConcurrentApply(t *testing.T) {
	r := mustNew(t, testKey)
	docs := bytes.Split(bytes.TrimSpace(append(readSample(t, "chats.ndjson"), readSample(t, "webhooks.ndjson")...)), []byte("\n"))
	want := make([]string, len(docs))
	for i, d := range docs {
		want[i] = apply(t, r, string(d))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(docs))
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for k := range docs {
				i := (k + g*7) % len(docs)
				buf, _ = r.Apply(buf[:0], docs[i])
				if string(buf) != want[i] {
					errs <- "document " + strconv.Itoa(i) + " differs under concurrency"
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if !utf8.Valid([]byte(want[0])) {
		t.Error("output is not UTF-8")
	}
}
