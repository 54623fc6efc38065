package query

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/itchyny/gojq"
	"github.com/smarthook/smarthook/internal/timezone"
)

// Function is a helper the query language gains for Smartsupp data.
type Function struct {
	Name               string
	MinArity, MaxArity int
	Synopsis           string // how it is called, for the help
	Doc                string // what it does, one line
	Example            string // a filter using it
	// Touches lists the top-level members it reads when applied to a whole document,
	// for projection; nil means it may read anything (its errors show the input).
	Touches []string
	impl    func(any, []any) any
}

// isoLayout is RFC 3339 with milliseconds always written, so that the text keeps the
// whole timestamp and sorts in time order.
const isoLayout = "2006-01-02T15:04:05.000Z07:00"

// Functions are the Smartsupp helpers, in the order the help lists them.
var Functions = []Function{
	{Name: "ms_to_iso", MinArity: 0, MaxArity: 1, Synopsis: "ms_to_iso, ms_to_iso(tz)",
		Doc:     "Unix milliseconds (beginAt, sentAt) to RFC 3339 text in UTC or in tz (\"Europe/Prague\", \"+02:00\", \"local\"); null stays null",
		Example: `.beginAt | ms_to_iso("Europe/Prague")`, impl: msToISO},
	{Name: "iso_to_ms", MinArity: 0, MaxArity: 0, Synopsis: "iso_to_ms",
		Doc:     "RFC 3339 text (a REST webhook's timestamp) to Unix milliseconds; null stays null",
		Example: `.timestamp | iso_to_ms`, impl: isoToMS},
	{Name: "chat_key", MinArity: 0, MaxArity: 0, Synopsis: "chat_key",
		Doc:     `the chat's identity "accountId/channel.id", the same for every delivery of a chat`,
		Example: `{chat: chat_key, rating: .channel.rating}`, Touches: []string{"accountId", "channel"}, impl: chatKey},
	{Name: "visitor_messages", MinArity: 0, MaxArity: 0, Synopsis: "visitor_messages",
		Doc:     `the array of messages of type "visitor" ([] without messages)`,
		Example: `visitor_messages[].content`, Touches: []string{"messages"}, impl: messagesOf("visitor")},
	{Name: "agent_messages", MinArity: 0, MaxArity: 0, Synopsis: "agent_messages",
		Doc:     `the array of messages of type "agent" (trigger messages included)`,
		Example: `agent_messages | length`, Touches: []string{"messages"}, impl: messagesOf("agent")},
	{Name: "system_messages", MinArity: 0, MaxArity: 0, Synopsis: "system_messages",
		Doc:     `the array of messages of type "system" (agent.join, close.* codes)`,
		Example: `system_messages[].content`, Touches: []string{"messages"}, impl: messagesOf("system")},
	{Name: "duration_s", MinArity: 0, MaxArity: 0, Synopsis: "duration_s",
		Doc:     "whole seconds from beginAt to endAt (floored; null when either is missing)",
		Example: `select(duration_s > 600) | chat_key`, Touches: []string{"beginAt", "endAt"}, impl: durationS},
}

// lookupFunction returns the helper called name, or nil.
func lookupFunction(name string, arity int) *Function {
	for i := range Functions {
		f := &Functions[i]
		if f.Name == name && arity >= f.MinArity && arity <= f.MaxArity {
			return f
		}
	}
	return nil
}

// FunctionHelp describes the helpers for `smarthook query --help`.
func FunctionHelp() string {
	var b strings.Builder
	for _, f := range Functions {
		fmt.Fprintf(&b, "  %s\n%s      e.g. %s\n", f.Synopsis, wrap(f.Doc, "      ", 80), f.Example)
	}
	return b.String()
}

// wrap breaks text into lines of at most width bytes (words allowing), each starting
// with indent and ending with a newline.
func wrap(text, indent string, width int) string {
	var b strings.Builder
	line := indent
	for _, w := range strings.Fields(text) {
		if len(line) > len(indent) && len(line)+1+len(w) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += w
	}
	b.WriteString(line + "\n")
	return b.String()
}

// funcError is a helper's error, caught by try like any jq error.
type funcError struct{ msg string }

func (e *funcError) Error() string { return e.msg }

func errorf(format string, args ...any) error { return &funcError{fmt.Sprintf(format, args...)} }

// typeError is the wording gojq uses for a built-in applied to the wrong type.
func typeError(name string, v any) error {
	if v == nil {
		return errorf("%s cannot be applied to: null", name)
	}
	return errorf("%s cannot be applied to: %s (%s)", name, gojq.TypeOf(v), gojq.Preview(v))
}

func msToISO(v any, args []any) any {
	if v == nil {
		return nil
	}
	ms, ok := toInt64(v)
	if !ok {
		return typeError("ms_to_iso", v)
	}
	loc := time.UTC
	if len(args) == 1 {
		name, ok := args[0].(string)
		if !ok {
			return errorf("ms_to_iso: the time zone must be a string, not %s", typeOrNull(args[0]))
		}
		var err error
		if loc, err = location(name); err != nil {
			return err
		}
	}
	t := time.UnixMilli(ms).In(loc)
	if y := t.Year(); y < 0 || y > 9999 {
		return errorf("ms_to_iso: %d is out of range for RFC 3339 (year %d)", ms, y)
	}
	return t.Format(isoLayout)
}

func typeOrNull(v any) string {
	if v == nil {
		return "null"
	}
	return gojq.TypeOf(v)
}

// toInt64 reads an integral number; fractions are floored (milliseconds are whole).
func toInt64(v any) (int64, bool) {
	switch v := v.(type) {
	case int:
		return int64(v), true
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n, true
		}
		f, err := v.Float64()
		return floatToInt64(f, err == nil)
	case float64:
		return floatToInt64(v, true)
	case *big.Int:
		return v.Int64(), v.IsInt64()
	}
	return 0, false
}

func floatToInt64(f float64, ok bool) (int64, bool) {
	f = math.Floor(f)
	if !ok || math.IsNaN(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, false
	}
	return int64(f), true
}

// location resolves a time zone in the grammar of package timezone.
func location(name string) (*time.Location, error) {
	loc, err := timezone.Parse(name)
	if err != nil {
		return nil, errorf("ms_to_iso: %v", err)
	}
	return loc, nil
}

func isoToMS(v any, _ []any) any {
	if v == nil {
		return nil
	}
	s, ok := v.(string)
	if !ok {
		return typeError("iso_to_ms", v)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		// ISO 8601 also allows the offset without a colon.
		if t, err = time.Parse("2006-01-02T15:04:05.999999999Z0700", s); err != nil {
			return errorf("iso_to_ms: %q is not an RFC 3339 time (like 2015-03-27T15:33:59.000Z)", s)
		}
	}
	return int(t.UnixMilli())
}

func chatKey(v any, _ []any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return typeError("chat_key", v)
	}
	account, err := idText(m["accountId"], "accountId")
	if err != nil {
		return err
	}
	channel, ok := m["channel"].(map[string]any)
	if !ok {
		return errorf("chat_key: channel is %s, expected an object", typeOrNull(m["channel"]))
	}
	id, err := idText(channel["id"], "channel.id")
	if err != nil {
		return err
	}
	return account + "/" + id
}

// idText writes an id as text; errors name the member, never the whole document.
func idText(v any, name string) (string, error) {
	switch v := v.(type) {
	case int:
		return strconv.Itoa(v), nil
	case json.Number:
		return string(v), nil
	case string:
		return v, nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case *big.Int:
		return v.String(), nil
	}
	return "", errorf("chat_key: %s is %s, expected a number", name, typeOrNull(v))
}

func messagesOf(typ string) func(any, []any) any {
	name := typ + "_messages"
	return func(v any, _ []any) any {
		m, ok := v.(map[string]any)
		if !ok {
			return typeError(name, v)
		}
		var list []any
		switch ms := m["messages"].(type) {
		case nil:
		case []any:
			list = ms
		default:
			return errorf("%s: messages is %s, expected an array", name, gojq.TypeOf(ms))
		}
		out := []any{}
		for _, msg := range list {
			if mm, ok := msg.(map[string]any); ok && mm["type"] == typ {
				out = append(out, msg)
			}
		}
		return out
	}
}

func durationS(v any, _ []any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return typeError("duration_s", v)
	}
	if m["beginAt"] == nil || m["endAt"] == nil {
		return nil
	}
	begin, ok1 := toInt64(m["beginAt"])
	end, ok2 := toInt64(m["endAt"])
	if !ok1 || !ok2 {
		return errorf("duration_s: beginAt and endAt must be numbers, not %s and %s", gojq.TypeOf(m["beginAt"]), gojq.TypeOf(m["endAt"]))
	}
	d := end - begin
	s := d / 1000
	if d%1000 < 0 {
		s-- // floor, also for an end before the beginning
	}
	return int(s)
}

// functionOptions registers the helpers with the compiler.
func functionOptions() []gojq.CompilerOption {
	opts := make([]gojq.CompilerOption, 0, len(Functions))
	for _, f := range Functions {
		opts = append(opts, gojq.WithFunction(f.Name, f.MinArity, f.MaxArity, f.impl))
	}
	return opts
}
