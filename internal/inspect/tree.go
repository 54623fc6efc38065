package inspect

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// node is one JSON value as the page draws it: members in the order they came and
// numbers as written, which a browser's JSON.parse would not keep.
type node struct {
	Pointer string  `json:"p"`
	Key     *string `json:"k,omitempty"` // the member's key inside an object
	Type    string  `json:"t"`           // object, array, string, number, bool, null
	Value   string  `json:"v,omitempty"` // a scalar: the decoded string, or the literal
	Items   []*node `json:"c,omitempty"`
}

// maxDepth bounds the nesting the tree follows.
const maxDepth = 200

// parseTree reads one JSON document into a tree.
func parseTree(body []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(jsontext.TrimBOM(body)))
	dec.UseNumber()
	n, err := readNode(dec, "", 0)
	if err != nil {
		return nil, err
	}
	return n, nil
}

func readNode(dec *json.Decoder, ptr string, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, errors.New("nested too deeply to draw")
	}
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	n := &node{Pointer: ptr}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			n.Type = "object"
		} else {
			n.Type = "array"
		}
		for i := 0; dec.More(); i++ {
			var key *string
			child := ptr + "/" + strconv.Itoa(i)
			if t == '{' {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				key = &k
				child = ptr + "/" + jsontext.EscapePointerToken(k)
			}
			c, err := readNode(dec, child, depth+1)
			if err != nil {
				return nil, err
			}
			c.Key = key
			n.Items = append(n.Items, c)
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
	case string:
		n.Type, n.Value = "string", t
	case json.Number:
		n.Type, n.Value = "number", string(t)
	case bool:
		n.Type, n.Value = "bool", strconv.FormatBool(t)
	case nil:
		n.Type, n.Value = "null", "null"
	}
	return n, nil
}

// appendCompact writes n as compact JSON, members in their order.
func (n *node) appendCompact(b []byte) []byte {
	switch n.Type {
	case "object", "array":
		open, close := byte('['), byte(']')
		if n.Type == "object" {
			open, close = '{', '}'
		}
		b = append(b, open)
		for i, c := range n.Items {
			if i > 0 {
				b = append(b, ',')
			}
			if c.Key != nil {
				b = append(jsontext.AppendQuote(b, *c.Key), ':')
			}
			b = c.appendCompact(b)
		}
		return append(b, close)
	case "string":
		return jsontext.AppendQuote(b, n.Value)
	}
	return append(b, n.Value...)
}
