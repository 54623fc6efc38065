package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Helpers that check documents against SMARTSUPP.md. They return an error
// describing the first violation so a failing test names the field.

// decode parses doc with numbers kept as json.Number, so integer-ness and
// digit counts can be checked exactly.
func decode(doc []byte) (map[string]any, error) {
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("trailing data after the document")
	}
	return m, nil
}

// objectKeys returns the keys of the JSON object raw in document order.
func objectKeys(raw []byte) ([]string, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	if _, err := d.Token(); err != nil {
		return nil, err
	}
	var keys []string
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// integer returns v as int64 if it is a JSON integer.
func integer(v any, what string) (int64, error) {
	n, ok := v.(json.Number)
	if !ok || strings.ContainsAny(n.String(), ".eE") {
		return 0, fmt.Errorf("%s: want integer, got %T %v", what, v, v)
	}
	return n.Int64()
}

// millis returns v as a 13-digit millisecond timestamp.
func millis(v any, what string) (int64, error) {
	n, err := integer(v, what)
	if err != nil {
		return 0, err
	}
	if len(fmt.Sprint(n)) != 13 {
		return 0, fmt.Errorf("%s: %d is not 13 digits", what, n)
	}
	return n, nil
}

// stringOrNull accepts a string or null.
func stringOrNull(v any, what string) error {
	switch v.(type) {
	case string, nil:
		return nil
	}
	return fmt.Errorf("%s: want string or null, got %T", what, v)
}

// isoMillis matches the RFC 3339 UTC millisecond form webhooks use.
var isoMillis = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

// countryOf maps the ISO codes the generator may use to country names, so
// a code paired with the wrong country is caught.
var countryOf = map[string]string{
	"CZ": "Czech Republic", "SK": "Slovakia", "DE": "Germany", "AT": "Austria", "CH": "Switzerland",
	"GB": "United Kingdom", "US": "United States", "IE": "Ireland", "PL": "Poland", "BR": "Brazil",
	"JP": "Japan", "CN": "China", "HU": "Hungary",
}

// hookKeys and channelKeys are the key orders of doc-example.json.
var (
	hookKeys    = []string{"accountId", "beginAt", "endAt", "channel", "visitor", "paths", "messages"}
	channelKeys = []string{"id", "isChat", "isMissed", "isTriggered", "isOffline", "isCompleted", "isDropped",
		"duration", "avgResponse", "firstResponse", "messagesCount", "wordsCount", "rating", "ratingDesc"}
	visitorKeys = []string{"id", "name", "email", "note", "group", "ipAddress", "city", "countryCode", "country",
		"userAgent", "platform", "referer", "variables"}
)

// checkKeyOrder verifies the top-level, channel and visitor key orders.
func checkKeyOrder(doc []byte) error {
	top, err := objectKeys(doc)
	if err != nil {
		return err
	}
	if !slices.Equal(top, hookKeys) {
		return fmt.Errorf("top-level keys %v, want %v", top, hookKeys)
	}
	var parts struct{ Channel, Visitor json.RawMessage }
	if err := json.Unmarshal(doc, &parts); err != nil {
		return err
	}
	for _, c := range []struct {
		raw  []byte
		want []string
	}{{parts.Channel, channelKeys}, {parts.Visitor, visitorKeys}} {
		got, err := objectKeys(c.raw)
		if err != nil {
			return err
		}
		if !slices.Equal(got, c.want) {
			return fmt.Errorf("keys %v, want %v", got, c.want)
		}
	}
	return nil
}
