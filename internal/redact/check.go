package redact

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/plural"
)

// CheckOptions are what `smarthook redact --check` reads.
type CheckOptions struct {
	Paths   []string      // the redacted documents to check
	Against []string      // the original documents: their personal values must not survive
	Input   input.Options // how to read both
	Out     io.Writer     // one line per surviving value
	Err     io.Writer     // the closing summary
}

// Check scans redacted documents for what still looks personal: e-mail addresses,
// phone numbers and IP addresses (other than the pseudonyms' example.invalid and
// documentation ranges), and, when Against names the original input, every name,
// e-mail, phone, IP and visitor key those documents hold (an agent's full name is not
// personal and stays allowed). It returns exit.ErrProblems when anything survives.
func Check(ctx context.Context, opts CheckOptions) error {
	known := newKnownValues()
	if len(opts.Against) > 0 {
		if err := known.read(ctx, opts.Against, opts.Input); err != nil {
			return err
		}
	}
	w := bufio.NewWriter(opts.Out)
	docs, leaks := 0, 0
	newWork := func() func(*input.Batch) []string {
		var sc nameScan // each worker its own
		return func(b *input.Batch) []string {
			var out []string
			for _, rec := range b.Records {
				if rec.Err == nil {
					out = append(out, known.scanDoc(&sc, rec.Origin.String(), rec.Raw)...)
				}
			}
			return out
		}
	}
	var readErr error
	emit := func(b *input.Batch, found []string) error {
		for _, rec := range b.Records {
			if rec.Err != nil && readErr == nil {
				readErr = rec.Err
				fmt.Fprintf(opts.Err, "smarthook redact: %v\n", rec.Err)
			} else if rec.Err == nil {
				docs++
			}
		}
		for _, line := range found {
			w.WriteString(line)
			w.WriteByte('\n')
		}
		leaks += len(found)
		return nil
	}
	err := input.Run(ctx, opts.Paths, opts.Input, newWork, emit)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	fmt.Fprintf(opts.Err, "smarthook redact: %s checked, %s\n", plural.Of(docs, "document"),
		map[bool]string{true: "nothing personal found", false: plural.Of(leaks, "value") + " that look personal"}[leaks == 0])
	switch {
	case err != nil:
		return err
	case leaks > 0 || readErr != nil:
		return exit.ErrProblems
	}
	return nil
}

// knownValues are the original input's personal values, lower-cased, by what they are,
// and the words of its names, found in any of their forms as redact finds them.
type knownValues struct {
	values   map[string]string // value → "a visitor's name", "an e-mail address", ...
	maxWords int               // the most words of any value
	names    nameSet           // the names' words; a value's replacement is what it is
}

func newKnownValues() *knownValues { return &knownValues{values: map[string]string{}} }

// read collects the personal values of the documents at paths, with the default
// fields' rules: what redact would replace is what must not survive.
func (k *knownValues) read(ctx context.Context, paths []string, opts input.Options) error {
	r, err := New(Options{Key: []byte("check"), Fields: AllFields()})
	if err != nil {
		return err
	}
	newWork := func() func(*input.Batch) [][2]string {
		st := r.states.Get().(*state)
		return func(b *input.Batch) [][2]string {
			var out [][2]string
			for _, rec := range b.Records {
				if rec.Err == nil {
					out = st.personalValues(out, rec.Raw)
				}
			}
			return out
		}
	}
	emit := func(_ *input.Batch, vals [][2]string) error {
		for _, v := range vals {
			k.add(v[0], v[1])
		}
		return nil
	}
	if err := input.Run(ctx, paths, opts, newWork, emit); err != nil {
		return fmt.Errorf("read --against: %w", err)
	}
	return nil
}

func (k *knownValues) add(v, what string) {
	key := strings.ToLower(strings.Join(words(v), " "))
	if key == "" {
		return
	}
	if old, ok := k.values[key]; ok && (old == allowed || what != allowed) {
		return // an agent's name stays allowed; a personal value stays personal
	}
	if what == whatName {
		k.names.addValue([]byte(v), []byte(what), shName)
	}
	k.values[key] = what
	k.maxWords = max(k.maxWords, strings.Count(key, " ")+1)
}

// allowed marks a value that may stay: an agent's full name.
const allowed = ""

// whatName is what a name is; its words are searched in any of their forms.
const whatName = "a visitor's name"

// personalValues appends the personal values of doc with what each is.
func (st *state) personalValues(out [][2]string, doc []byte) [][2]string {
	survey := st.prepare(doc)
	if survey {
		st.survey = true
		_, _ = jsontext.Rewrite(nil, jsontext.TrimBOM(doc), st.edit, nil)
		st.survey = false
		st.keepNoted()
		st.conv.learn()
		st.single.learn()
	}
	for k := range st.vals.pats {
		p := &st.vals.pats[k]
		val := string(st.vals.val(p))
		repl := string(st.vals.repl(p))
		what := "a personal value"
		switch {
		case repl == val:
			what = allowed
		case strings.HasPrefix(repl, "Place "):
			// A city is not checked: one visitor's city is an ordinary word in
			// the other chats (and in the shop's own texts), and the originals
			// do not say which redacted document is whose.
			continue
		case strings.HasPrefix(repl, "Visitor "):
			what = whatName
		case strings.HasSuffix(repl, "@example.invalid"):
			what = "an e-mail address"
		case strings.HasPrefix(repl, "phone-"):
			what = "a phone number"
		case isPseudonymIP([]byte(repl)):
			what = "an IP address"
		case len(repl) == tagLen:
			what = "a visitor key"
		}
		out = append(out, [2]string{val, what})
	}
	return out
}

// words splits s into its words as wordSpans reads them.
func words(s string) []string {
	b := []byte(s)
	ws := wordSpans(b)
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = strings.Map(dropApostrophe, s[w[0]:w[1]])
	}
	return out
}

// scanDoc returns a line for each value of doc that looks personal.
func (k *knownValues) scanDoc(sc *nameScan, origin string, doc []byte) []string {
	var found []string
	_, err := jsontext.Rewrite(nil, jsontext.TrimBOM(doc), func(p jsontext.Path, kind jsontext.Kind, raw []byte) ([]byte, bool) {
		if kind != jsontext.String || len(raw) == 2 {
			return nil, false
		}
		text := jsontext.Text(raw[1:len(raw)-1], true)
		// The same mode as redact's: places stay in URLs and the site's own text, and
		// names there count only as written.
		site := isSiteText(p)
		sc.noPlaces, sc.exact = isURLKey(p) || site, site
		if what, v := k.scanText(sc, text, isURLKey(p)); what != "" {
			found = append(found, fmt.Sprintf("%s: %s: %s survives (%s)", origin, p.Pointer(), what, hint(v)))
		}
		return nil, false
	}, nil)
	if err != nil {
		found = append(found, fmt.Sprintf("%s: not JSON, not checked: %v", origin, err))
	}
	return found
}

// scanText returns what the first personal-looking value of s is, and the value.
func (k *knownValues) scanText(sc *nameScan, s string, inURL bool) (string, string) {
	b := []byte(s)
	for from := 0; ; {
		kind, a, e := nextSpan(b, from)
		if kind == spanNone {
			break
		}
		v := b[a:e]
		pseudo := (kind == spanEmail && strings.HasSuffix(strings.ToLower(string(v)), "@example.invalid")) ||
			(kind == spanIP && isPseudonymIP(v)) || (kind == spanPhone && (inURL || isTag(b, a, e)))
		if !pseudo {
			return kind.String(), string(v)
		}
		from = e
	}
	if len(k.values) == 0 {
		return "", ""
	}
	if len(k.names.cjk) > 0 {
		// Names in scripts without spaces stand anywhere in a run, as redact finds them.
		for i := range b {
			if b[i] >= 0xE0 {
				if end, v := k.names.matchCJK(sc, b, i); v >= 0 {
					return string(k.names.replOf(v)), string(b[i:end])
				}
			}
		}
	}
	ws := wordSpans(b)
	for i := 0; i < len(ws); {
		n := 0
		for size := min(k.maxWords, len(ws)-i); size > 0; size-- {
			what, ok := k.values[strings.ToLower(joinWords(b, ws[i:i+size]))]
			if !ok || what == whatName {
				continue // names are found by their words, as redact finds them
			}
			if what != allowed {
				return what, joinWords(b, ws[i:i+size])
			}
			n = size // an agent's name: skip its words
			break
		}
		if n == 0 && !k.names.empty() {
			if end, v := k.names.match(sc, b, ws[i][0], len(b)); v >= 0 {
				return string(k.names.replOf(v)), string(b[ws[i][0]:end])
			}
		}
		i += max(n, 1)
	}
	return "", ""
}

// wordSpans returns the bounds of the words of b (as redact reads them).
func wordSpans(b []byte) [][2]int {
	var ws [][2]int
	var scratch []byte
	for i := 0; i < len(b); {
		if !wordStart(b, i) {
			i++
			continue
		}
		var end int
		scratch, end = readWord(scratch[:0], b, i, false)
		ws = append(ws, [2]int{i, end})
		i = end
	}
	return ws
}

// joinWords joins the words at ws with single spaces, as knownValues.add keys values.
func joinWords(b []byte, ws [][2]int) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = strings.Map(dropApostrophe, string(b[w[0]:w[1]]))
	}
	return strings.Join(parts, " ")
}

func dropApostrophe(r rune) rune {
	if isApostrophe(r) {
		return -1
	}
	return r
}

// isTag reports digits that are a pseudonym's hex tag (all of whose digits happen to
// be decimal): exactly tagLen of them, right after what pseudonyms put before a tag.
func isTag(b []byte, a, e int) bool {
	if e-a != tagLen {
		return false
	}
	for _, before := range tagPrefixes {
		if strings.HasSuffix(string(b[:a]), before) {
			return true
		}
	}
	return false
}

var tagPrefixes = []string{"Visitor ", "visitor-", "visitor:", "phone-", "value-", "Place ", "Page ", "/p-", " chars ", " char ", "(redacted "}

// hint shows the start of a value without repeating it whole.
func hint(v string) string {
	if utf8.RuneCountInString(v) <= 2 {
		return "\"" + v + "\""
	}
	r, n := utf8.DecodeRuneInString(v)
	return "\"" + string(r) + strings.Repeat("*", min(utf8.RuneCountInString(v[n:]), 8)) + "\""
}
