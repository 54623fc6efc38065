package query

import (
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// variables builds the filter's variables from the named arguments (the first of a
// name wins, as in gojq) and $ARGS, with "named" and "positional".
func variables(opts Options) (names []string, values []any, err error) {
	named := map[string]any{}
	for _, a := range opts.Named {
		if _, dup := named[a.Name]; dup {
			continue
		}
		v, err := namedValue(a)
		if err != nil {
			return nil, nil, err
		}
		named[a.Name] = v
		names = append(names, "$"+a.Name)
		values = append(values, v)
	}
	positional := []any{}
	for _, p := range opts.Positional {
		if !p.JSON {
			positional = append(positional, p.Text)
			continue
		}
		v, err := parseJSONArg(p.Text, "--jsonargs")
		if err != nil {
			return nil, nil, err
		}
		positional = append(positional, v)
	}
	names = append(names, "$ARGS")
	values = append(values, map[string]any{"named": named, "positional": positional})
	return names, values, nil
}

func namedValue(a NamedArg) (any, error) {
	switch a.Flag {
	case "argjson":
		return parseJSONArg(a.Value, "$"+a.Name)
	case "slurpfile":
		return slurpFile(a.Value)
	case "rawfile":
		b, err := os.ReadFile(a.Value)
		if err != nil {
			return nil, err
		}
		return string(b), nil
	}
	return a.Value, nil
}

// parseJSONArg reads exactly one JSON value from an argument; name is what errors
// call it.
func parseJSONArg(text, name string) (any, error) {
	it := newJSONIter(onlyReader{strings.NewReader(text)}, name, false)
	v, ok := it.Next()
	if !ok {
		return nil, &JSONError{Name: name, Contents: text, Err: io.ErrUnexpectedEOF}
	}
	if err, ok := v.(error); ok {
		return nil, err
	}
	offset := it.dec.InputOffset()
	if _, err := it.dec.Token(); err != io.EOF {
		rest := strings.TrimLeft(text[offset:], " \t\n\r")
		c, _ := utf8.DecodeRuneInString(rest)
		return nil, &JSONError{Name: name, Contents: text, Err: &trailingError{c, len(text) - len(rest) + 1}}
	}
	return v, nil
}

// slurpFile reads the documents of a file into an array (--slurpfile).
func slurpFile(name string) (any, error) {
	files := &filesIter{names: []string{name}, newIter: func(r io.Reader, name string) docIter {
		return newJSONIter(r, name, false)
	}, open: func(name string) (docIter, io.Closer, error) {
		f, err := os.Open(name)
		if err != nil {
			return nil, nil, err
		}
		return newJSONIter(f, name, false), f, nil
	}}
	it := &slurpIter{src: files}
	defer it.Close()
	v, _ := it.Next()
	if err, ok := v.(error); ok {
		return nil, err
	}
	return v, nil
}

// onlyReader hides every method but Read, so that errors show what was read.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }
