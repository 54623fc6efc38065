package redact

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/input"
)

// Names no generated agent, shop or text uses, so any of them in the output is a leak.
var (
	leakFirst = []string{"Xaverie", "Quirina", "Bohuslava", "Ottokar", "Zbyhněv", "Wendelín", "Radegunda", "Jaroměřka", "Ulrike", "Ysolda", "Kilián", "Eustach"}
	leakLast  = []string{"Qwertová", "Zrzavý", "Oberhuber", "Vlčkovský", "Pfannkuch", "Drozdíková", "Yarborough", "Kvasnička", "Šnajdrová", "Heřmanský", "Lindqvist", "Okonkwo", "Brzobohatý"}
	// Cities no generated text uses, with the forms "from" and "in" take in Czech.
	leakCities = [][3]string{{"Kroměříž", "z Kroměříže", "v Kroměříži"}, {"Jihlava", "z Jihlavy", "v Jihlavě"},
		{"Vsetín", "ze Vsetína", "ve Vsetíně"}, {"Třebíč", "z Třebíče", "v Třebíči"},
		{"Uherské Hradiště", "z Uherského Hradiště", "v Uherském Hradišti"}, {"Olomouc", "z Olomouce", "v Olomouci"}}
)

// genitive and instrumental decline a name as Czech does, written here by hand
// (ová → ové/ovou, ý → ého/ým, a → y/ou, e → e/í, o → a/em, a consonant takes
// a/em), so that the test does not reuse the package's rules.
func genitive(w string) string { return decline(w, "ové", "ého", "y", "e", "a", "a") }

func instrumental(w string) string { return decline(w, "ovou", "ým", "ou", "í", "em", "em") }

func decline(w, ova, y, a, e, o, cons string) string {
	for _, r := range []struct{ end, to string }{{"ová", ova}, {"ý", y}, {"a", a}, {"e", e}, {"o", o}} {
		if stem, ok := strings.CutSuffix(w, r.end); ok {
			return stem + r.to
		}
	}
	return w + cons
}

// plainASCII drops the diacritics of the letters leak names use.
var plainASCII = strings.NewReplacer("á", "a", "č", "c", "ď", "d", "é", "e", "ě", "e", "í", "i", "ň", "n", "ó", "o",
	"ř", "r", "š", "s", "ť", "t", "ú", "u", "ů", "u", "ý", "y", "ž", "z", "Š", "S")

// leakChat turns generated hook i into a chat whose visitor's name, e-mail, phone, IP
// address and city are spread where field-based redaction does not look: a greeting by
// first name, a close.timeout system message, the rating comment, a variable, an
// agent's message quoting the address, number and IP, and one naming the visitor in
// the genitive and instrumental, in capitals without diacritics, and the city in the
// forms "from" and "in" take. It returns the document and the values
// that must not survive.
func leakChat(t *testing.T, g *fake.Generator, i int) ([]byte, []string) {
	t.Helper()
	doc := decodeJSON(t, g.Append(nil, i))
	first, last := leakFirst[i%len(leakFirst)], leakLast[(i/len(leakFirst))%len(leakLast)]
	name := first + " " + last
	email := fmt.Sprintf("%s.%d@mail-%d.cz", strings.ToLower(regexp.MustCompile(`\W`).ReplaceAllString(last, "")), i, i%7)
	phone := fmt.Sprintf("+420 6%02d %03d %03d", i%100, (i*7)%1000, (i*13)%1000)
	ip := fmt.Sprintf("203.%d.%d.%d", 1+i%250, (i/250)%250, 1+i%200)
	v, _ := doc["visitor"].(map[string]any)
	v["name"], v["email"], v["ipAddress"] = name, email, ip
	vars, _ := v["variables"].(map[string]any)
	if vars == nil {
		vars = map[string]any{}
		v["variables"] = vars
	}
	vars["fullName"] = map[string]any{"label": "Name", "value": name}
	ch, _ := doc["channel"].(map[string]any)
	ch["ratingDesc"] = "Thanks! " + first + " (" + phone + ")"
	msgs, _ := doc["messages"].([]any)
	for _, m := range msgs {
		if m, _ := m.(map[string]any); m["type"] == "visitor" {
			if _, ok := m["name"]; ok {
				m["name"] = name
			}
		}
	}
	city := leakCities[i%len(leakCities)]
	v["city"] = city[0]
	at := doc["endAt"]
	gen := genitive(first) + " " + genitive(last)
	ins := instrumental(first) + " " + instrumental(last)
	msgs = append(msgs,
		map[string]any{"type": "agent", "name": "Petr Svoboda", "from": "agent:42", "content": "Dobrý den, " + first + ", hned to zjistím.", "sentAt": at},
		map[string]any{"type": "agent", "name": "Petr Svoboda", "from": "agent:42", "content": "Mám " + email + ", tel. " + phone + " a IP " + ip + ", že? Děkuji, pane " + last + ".", "sentAt": at},
		map[string]any{"type": "agent", "name": "Petr Svoboda", "from": "agent:42", "content": "Objednávka " + gen + " " + city[1] + " je na cestě; mluvil jsem s " + ins + " " + city[2] + ". " + strings.ToUpper(plainASCII.Replace(last)) + "?", "sentAt": at},
		map[string]any{"type": "system", "name": name, "from": "system", "content": "close.timeout", "sentAt": at})
	doc["messages"] = msgs
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return raw, []string{name, first, last, email, phone, strings.ReplaceAll(phone, " ", ""), ip, gen, ins,
		genitive(first), instrumental(last), plainASCII.Replace(last), city[0], city[1], city[2]}
}

// TestNoLeaks redacts 5,000 such chats and finds none of their values in the output,
// by plain search here and by Check: the same output passes Check against the
// originals, and the originals fail it.
func TestNoLeaks(t *testing.T) {
	n := 5000
	if testing.Short() {
		n = 500
	}
	r := mustNew(t, testKey)
	g := fake.New(fake.Options{Seed: 19})
	var in, out bytes.Buffer
	for i := range n {
		doc, secrets := leakChat(t, g, i)
		got, err := r.Apply(nil, doc)
		if err != nil {
			t.Fatal(err)
		}
		lower := strings.ToLower(string(got))
		for _, s := range secrets {
			if strings.Contains(lower, strings.ToLower(s)) {
				t.Fatalf("chat %d: %q survives redaction:\n%s", i, s, got)
			}
		}
		in.Write(doc)
		in.WriteByte('\n')
		out.Write(got)
		out.WriteByte('\n')
	}
	dir := t.TempDir()
	inPath, outPath := filepath.Join(dir, "in.ndjson"), filepath.Join(dir, "out.ndjson")
	if err := os.WriteFile(inPath, in.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(outPath, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var report, summary bytes.Buffer
	check := func(path string) error {
		report.Reset()
		summary.Reset()
		return Check(context.Background(), CheckOptions{Paths: []string{path}, Against: []string{inPath}, Input: input.Options{}, Out: &report, Err: &summary})
	}
	if err := check(outPath); err != nil {
		t.Fatalf("redacted output fails the check: %v\n%s%s", err, firstLines(report.String(), 5), summary.String())
	}
	if !strings.Contains(summary.String(), fmt.Sprintf("%d documents checked, nothing personal found", n)) {
		t.Errorf("summary: %s", summary.String())
	}
	if err := check(inPath); !errors.Is(err, exit.ErrProblems) {
		t.Fatalf("the originals pass the check: %v", err)
	}
	// Every original chat has its name, address, phone and IP found.
	for _, what := range []string{"/visitor/name: a visitor's name", "/visitor/email: an e-mail address", "/visitor/ipAddress: an IP address", "/channel/ratingDesc: a phone number"} {
		if c := strings.Count(report.String(), what); c != n {
			t.Errorf("%q found in %d of %d originals", what, c, n)
		}
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitAfterN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "")
}
