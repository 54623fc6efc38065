package redact

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/smarthook/smarthook/internal/exit"
)

// nameCase is a text and what it becomes when the values of a set are replaced.
type nameCase struct{ in, want string }

// runNameCases replaces the names (N), places (P) and kept agents' names of vs in each
// case's text.
func runNameCases(t *testing.T, vs *valueSet, cases []nameCase) {
	t.Helper()
	keep := func(dst []byte, _ spanKind, v []byte) []byte { return append(dst, v...) }
	for _, tt := range cases {
		got, changed := vs.replace(nil, []byte(tt.in), keep, nil)
		if !changed {
			got = []byte(tt.in)
		}
		if string(got) != tt.want {
			t.Errorf("replace(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func names(values ...string) *valueSet {
	var vs valueSet
	for i := 0; i+1 < len(values); i += 2 {
		sh := shName
		if strings.HasPrefix(values[i+1], "P") {
			sh = shPlace
		} else if values[i+1] == "=" {
			vs.add(shNone, []byte(values[i]), []byte(values[i]))
			continue
		}
		vs.add(sh, []byte(values[i]), []byte(values[i+1]))
	}
	vs.sort()
	return &vs
}

// TestCzechNameForms: a Czech name in its cases, both genders, vocative, without
// diacritics and in capitals, becomes the name's one pseudonym; a run of its words
// becomes one.
func TestCzechNameForms(t *testing.T) {
	vs := names("Petr Svoboda", "N1", "Jana Nováková", "N2", "Marek Dvořák", "N3", "Jiří Novotný", "N4", "Olga Růžičková", "N5")
	runNameCases(t, vs, []nameCase{
		{"Petr Svoboda volal", "N1 volal"},
		{"volal Petr Svoboda  ", "volal N1  "}, // blanks at the end of the text
		{"od Petra Svobody", "od N1"},
		{"dejte to Petrovi Svobodovi", "dejte to N1"},
		{"s Petrem Svobodou", "s N1"},
		{"Petře, děkuji", "N1, děkuji"},
		{"panu Svobodovi", "panu N1"},
		{"paní Svobodová a paní Svobodové", "paní N1 a paní N1"},
		{"Svoboda sám", "N1 sám"},
		{"PETR SVOBODA", "N1"},
		{"petr svoboda", "N1"},
		{"Svobodova objednavka", "N1 objednavka"},
		{"petr.svoboda (at) seznam.cz", "N1.N1 (at) seznam.cz"}, // an address no pattern sees
		{"Jany Novákové", "N2"},
		{"Janě Novákové", "N2"},
		{"s Janou Novákovou", "s N2"},
		{"Jano!", "N2!"},
		{"NOVAKOVA", "N2"},
		{"paní Novakove", "paní N2"},
		{"pan Novák a Novákovi", "pan N2 a N2"}, // the family name
		{"Marka Dvořáka", "N3"},
		{"Markovi Dvořákovi", "N3"},
		{"Marku!", "N3!"},
		{"Jiřího Novotného", "N4"},
		{"Jiřímu Novotnému", "N4"},
		{"Novotná", "N4"},
		{"Olze Růžičkové", "N5"},
	})
}

// TestSlovakGermanEnglishForms: names of the fake generator's Slovak, German and
// English visitors in their forms.
func TestSlovakGermanEnglishForms(t *testing.T) {
	vs := names("Dušan Kmeť", "N1", "Zuzana Horná", "N2", "Jürgen Müller", "N3", "Maximilian Groß", "N4",
		"Emily Clarke", "N5", "Zoë O'Brien", "N6", "Lukas Weiß", "N7", "Tereza Malá", "N8")
	runNameCases(t, vs, []nameCase{
		{"Dušanovi Kmeťovi", "N1"},
		{"s Dušanom", "s N1"},
		{"pani Hornej", "pani N2"},
		{"Zuzano", "N2"},
		{"Herr Mueller", "Herr N3"},
		{"Herrn Müller und Jürgens Auto", "Herrn N3 und N3 Auto"},
		{"MULLER", "N3"},
		{"Herr Gross, Herr GROSS", "Herr N4, Herr N4"},
		{"Emily's order", "N5's order"},
		{"emily clarke", "N5"},
		{"Dear Mrs. Clarke", "Dear Mrs. N5"},
		{"Zoe OBrien and O'Brien's", "N6 and N6's"},
		{"Lukas Weiß", "N7"},
		{"ich weiß es nicht", "ich weiß es nicht"}, // an everyday word alone
		{"Herr Weiß", "Herr N7"},
		{"Tereza Malá", "N8"},
		{"malá chyba", "malá chyba"},
		{"paní Malá", "paní N8"},
		{"Terezo", "N8"},
	})
}

// TestNameNegatives: no name inside longer words, no unrelated words, no agent's name.
func TestNameNegatives(t *testing.T) {
	vs := names("Petr Svoboda", "N1", "Jana Dvořáková", "N2", "Jana Nováková", "=", "Eva Malá", "N3", "Will Smith", "N4")
	runNameCases(t, vs, []nameCase{
		{"Petrolej a Petrov", "Petrolej a Petrov"},
		{"Svobodný přístup", "Svobodný přístup"},
		{"Janáček", "Janáček"},
		{"Jan přijde", "Jan přijde"}, // Jana's stem alone is another name
		{"Jana Nováková vám pomůže", "Jana Nováková vám pomůže"},
		{"Jana Dvořáková", "N2"},
		{"Jano", "N2"},
		{"evoluce", "evoluce"},
		{"Evy Malé", "N3"},
		{"Evy", "Evy"}, // a stem of two letters alone
		{"I will call", "I will call"},
		{"Will Smith will call", "N4 will call"},
		{"Smithová", "N4"},
		{"email petr.svoboda@example.cz", "email petr.svoboda@example.cz"}, // an address is a span of its own
	})
}

// TestPlaceForms: a city in text, in its forms, but not in a host name, and not a
// country.
func TestPlaceForms(t *testing.T) {
	vs := names("Brno", "P1", "České Budějovice", "P2", "Praha", "P3", "Frýdek-Místek", "P4", "New York", "P5", "Pardubice", "P6")
	runNameCases(t, vs, []nameCase{
		{"jsem z Brna", "jsem z P1"},
		{"v Brně, Brnem", "v P1, P1"},
		{"www.kola-brno.cz", "www.kola-brno.cz"},
		{"https://example.com/brno/x", "https://example.com/brno/x"},
		{"z Českých Budějovic", "z P2"},
		{"v Českých Budějovicích", "v P2"},
		{"v Praze", "v P3"},
		{"Frýdku-Místku", "P4"},
		{"New York City", "P5 City"},
		{"new ideas", "new ideas"},
		{"z Pardubic", "z P6"},
	})
	vs.scan.noPlaces = true // a URL or the site's own text
	runNameCases(t, vs, []nameCase{{"jsem z Brna", "jsem z Brna"}})
}

// TestCJKNames: names of scripts without spaces are found inside runs of letters, by
// a scan or, with many names, through an index.
func TestCJKNames(t *testing.T) {
	for _, many := range []bool{false, true} {
		var values []string
		if many {
			for i := range 20 {
				values = append(values, string(rune('一'+i))+string(rune('丁'+i)), "X")
			}
		}
		vs := names(append(values, "山田 太郎", "N1", "王伟", "N2")...)
		if (vs.names.cjkBy != nil) != many {
			t.Fatalf("index %v with %d words", vs.names.cjkBy != nil, len(vs.names.cjk))
		}
		runNameCases(t, vs, []nameCase{
			{"山田様、こんにちは", "N1様、こんにちは"},
			{"太郎です", "N1です"},
			{"我是王伟。", "我是N2。"},
			{"山本です", "山本です"},
		})
	}
}

// TestNamesInFields: a field holding a form of a known name gets the name's pseudonym.
func TestNamesInFields(t *testing.T) {
	r := mustNew(t, testKey)
	doc := `{"accountId":1,"beginAt":1,"endAt":2,"channel":{"id":1,"ratingDesc":"Díky, paní Svobodová!"},"visitor":{"name":"Petr Svoboda","city":"Brno","variables":{"who":{"label":"Name","value":"Petra"}}},"messages":[{"type":"agent","name":"Jana Nováková","from":"agent:1","content":"Dobrý den, pane Svobodo, doručíme do Brna.","sentAt":1},{"type":"system","name":"Petrovi","from":"system","content":"close.timeout","sentAt":2}]}`
	got := apply(t, r, doc)
	name, city := stringAt(t, got, "/visitor/name"), stringAt(t, got, "/visitor/city")
	for _, want := range [][2]string{
		{"/visitor/variables/who/value", name},
		{"/messages/1/name", name},
		{"/messages/0/content", "Dobrý den, pane " + name + ", doručíme do " + city + "."},
		{"/messages/0/name", "Jana Nováková"},
	} {
		if g := stringAt(t, got, want[0]); g != want[1] {
			t.Errorf("%s = %q, want %q", want[0], g, want[1])
		}
	}
	// The rating comment is redacted whole; the counts say what was replaced.
	var c Counts
	if _, err := r.ApplyCount(nil, []byte(doc), &c); err != nil {
		t.Fatal(err)
	}
	// Names: visitor.name, the greeting's "Svobodo" and the close message's "Petrovi";
	// other values: the city, the variable and "Brna".
	if c[countName] != 3 || c[countOther] != 3 || c[countText] != 1 {
		t.Errorf("counts %v: want 3 names, 1 text, 3 other values", c)
	}
}

// TestNameSetBounded: a document with many names keeps every string's scan bounded:
// lookups go through an index once there are many stems, and the first owner of a
// stem keeps it.
func TestNameSetBounded(t *testing.T) {
	var ns nameSet
	for i := range 300 {
		ns.addValue([]byte("Name"+strings.Repeat("x", i%40)+string(rune('a'+i%26))+" Svoboda"), []byte{byte('A' + i%26)}, shName)
	}
	if ns.index == nil {
		t.Fatalf("%d stems and no index", len(ns.regs))
	}
	var sc nameScan
	v, weak := ns.matchWord(&sc, []byte("svobodovi"))
	if v != 0 || weak {
		t.Errorf("svobodovi: value %d weak %v, want the first owner 0", v, weak)
	}
	if v, _ := ns.matchWord(&sc, []byte("svobodny")); v >= 0 {
		t.Errorf("svobodny matched value %d", v)
	}
}

// TestCheckFindsForms: --check --against finds a name surviving in another form
// (declined, without diacritics), and passes everyday words and the agent's name.
func TestCheckFindsForms(t *testing.T) {
	dir := t.TempDir()
	orig := `{"accountId":1,"beginAt":1,"endAt":2,"channel":{"id":1},"visitor":{"name":"Petr Svoboda","city":"Brno"},"messages":[{"type":"agent","name":"Jana Nováková","from":"agent:1","content":"Dobrý den","sentAt":1}]}` + "\n" +
		`{"accountId":1,"beginAt":1,"endAt":2,"channel":{"id":2},"visitor":{"name":"Malá"},"messages":[]}` + "\n" +
		`{"accountId":1,"beginAt":1,"endAt":2,"channel":{"id":3},"visitor":{"name":"王小明"},"messages":[]}` + "\n" +
		`{"accountId":1,"beginAt":1,"endAt":2,"channel":{"id":4},"visitor":{"name":"Jana Malinová"},"messages":[]}`
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	against := write("orig.ndjson", orig)
	redacted := func(text string) string {
		return `{"accountId":1,"beginAt":1,"endAt":2,"channel":{"id":1},"visitor":{"name":"Visitor 0123456789"},"messages":[{"type":"agent","name":"Jana Nováková","from":"agent:1","content":` + strconv.Quote(text) + `,"sentAt":1}]}`
	}
	for _, tt := range []struct {
		text, found string
	}{
		{"Děkuji panu Svobodovi.", `/messages/0/content: a visitor's name survives ("S********")`},
		{"Ahoj PETRE", `/messages/0/content: a visitor's name survives ("P****")`},
		{"svobodova objednavka", `/messages/0/content: a visitor's name survives ("s********")`},
		{"Svobodný přístup, Petrolej, Jana Nováková, jsem z Brna, malá chyba", ""},
		{"paní Malá", `/messages/0/content: a visitor's name survives ("M***")`},
		{"你好王小明先生", `/messages/0/content: a visitor's name survives ("王**")`},
	} {
		out := write("out.ndjson", redacted(tt.text))
		var report, summary bytes.Buffer
		err := Check(context.Background(), CheckOptions{Paths: []string{out}, Against: []string{against}, Out: &report, Err: &summary})
		if tt.found == "" {
			if err != nil || report.Len() > 0 {
				t.Errorf("%q: %v\n%s", tt.text, err, report.String())
			}
			continue
		}
		if !errors.Is(err, exit.ErrProblems) || !strings.Contains(report.String(), tt.found) {
			t.Errorf("%q: %v, report:\n%s\nwant %s", tt.text, err, report.String(), tt.found)
		}
	}
	// The site's own text keeps what redact keeps there: "Jane" in a page title stays
	// for a visitor Jana; "Jana" as written does not.
	for title, found := range map[string]bool{"Jane Austen knihy": false, "Knihy pro Janu": false, "Jana a knihy": true} {
		out := write("out.ndjson", `{"accountId":1,"beginAt":1,"endAt":2,"channel":{"id":1},"visitor":{},"paths":[{"url":"https://shop.cz/","title":`+strconv.Quote(title)+`}],"messages":[]}`)
		var report, summary bytes.Buffer
		err := Check(context.Background(), CheckOptions{Paths: []string{out}, Against: []string{against}, Out: &report, Err: &summary})
		if got := errors.Is(err, exit.ErrProblems); got != found {
			t.Errorf("title %q: reported %v, want %v: %v\n%s", title, got, found, err, report.String())
		}
	}
}

// TestWebhookVisitorAndContact: a visitor.* event's data.visitor and a contact are
// redacted member by member, as a POST hook's visitor is, and their name and city in
// the event's message get the same pseudonyms.
func TestWebhookVisitorAndContact(t *testing.T) {
	r := mustNew(t, testKey)
	doc := `{"type":"event_callback","event":"visitor.triggered","timestamp":"2026-11-30T10:00:00Z","account_id":"1","data":{"visitor":{"id":"v1","name":"Ottokar Qwert","email":"o@q.cz","phone":"+420 777 123 456","ip":"203.0.113.5","city":"Jihlava","country":"Czechia","user_agent":"Mozilla/5.0 X","note":"called twice","variables":{"plan":{"label":"Plan","value":"gold"}},"location":{"city":"Jihlava","ip":"203.0.113.6"},"domain":"shop.cz"},"message":{"id":"m1","type":"message","sub_type":"trigger","content":{"text":"Vítejte, Ottokare, doručujeme i do Jihlavy."}}}}`
	got := apply(t, r, doc)
	for _, gone := range []string{"Ottokar", "o@q.cz", "777", "203.0.113", "Jihlav", "Mozilla/5.0 X", "called twice", "gold"} {
		if strings.Contains(got, gone) {
			t.Errorf("%s survives: %s", gone, got)
		}
	}
	for _, stays := range []string{`"id":"v1"`, `"country":"Czechia"`, `"label":"Plan"`, `"domain":"shop.cz"`} {
		if !strings.Contains(got, stays) {
			t.Errorf("%s changed: %s", stays, got)
		}
	}
	name, city := stringAt(t, got, "/data/visitor/name"), stringAt(t, got, "/data/visitor/city")
	if want := "Vítejte, " + name + ", doručujeme i do " + city + "."; stringAt(t, got, "/data/message/content/text") != want {
		t.Errorf("message: %s, want %q", got, want)
	}
	if stringAt(t, got, "/data/visitor/location/city") != city {
		t.Errorf("location.city is not the city's pseudonym: %s", got)
	}
}

// FuzzNames checks that finding names never panics, keeps valid UTF-8 valid, and
// replaces each word at most once.
func FuzzNames(f *testing.F) {
	for _, s := range [][2]string{{"Petr Svoboda", "od Petra Svobody a paní Svobodové"}, {"Zoë O'Brien", "O'Brien's 'x' Zoe"},
		{"山田 太郎", "山田様"}, {"Brno", "kola-brno.cz z Brna"}, {"Ab", "a b ab ab's"}, {"Tereza Malá", "paní  Malá, malá"}} {
		f.Add(s[0], s[1])
	}
	keep := func(dst []byte, _ spanKind, v []byte) []byte { return append(dst, v...) }
	f.Fuzz(func(t *testing.T, name, text string) {
		var vs valueSet
		vs.add(shName, []byte(name), []byte("#"))
		vs.add(shPlace, []byte(name+" x"), []byte("#"))
		vs.sort()
		out, changed := vs.replace(nil, []byte(text), keep, nil)
		if !changed {
			return
		}
		if utf8.ValidString(text) && !utf8.Valid(out) {
			t.Fatalf("invalid UTF-8 from %q: %q", text, out)
		}
		if len(out) > len(text)+len(text)/2+8 {
			t.Fatalf("%q grew to %q", text, out) // a replacement per word at most
		}
	})
}
