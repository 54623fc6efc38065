package convert

import (
	"fmt"
	"slices"
	"strings"

	"github.com/smarthook/smarthook/internal/payload"
)

// RowKind is what one row stands for, the documents it comes from and its columns.
type RowKind struct {
	Name    string
	Doc     payload.Kind
	Summary string
	Columns []Column
	// Count is how many rows a document gives; nil means one.
	Count func(d *payload.Doc) int
}

// RowKinds lists the row kinds in the order help prints them.
var RowKinds = []*RowKind{
	{Name: "chats", Doc: payload.KindHook, Summary: "one row per chat (POST hook)", Columns: withExtras(chatColumns, variablesColumn)},
	{Name: "messages", Doc: payload.KindHook, Summary: "one row per message, keyed by accountId, channel.id and index",
		Columns: withExtras(messageColumns), Count: func(d *payload.Doc) int { return len(d.Hook.Messages) }},
	{Name: "paths", Doc: payload.KindHook, Summary: "one row per page the visitor saw",
		Columns: withExtras(pathColumns), Count: func(d *payload.Doc) int { return len(d.Hook.Paths) }},
	{Name: "variables", Doc: payload.KindHook, Summary: "one row per visitor variable",
		Columns: withExtras(variableColumns), Count: func(d *payload.Doc) int { return len(d.Hook.Visitor.Variables) }},
	{Name: "events", Doc: payload.KindWebhook, Summary: "one row per REST webhook", Columns: withExtras(eventColumns)},
	{Name: "webhook-messages", Doc: payload.KindWebhook, Summary: "one row per message of a REST webhook (data.message, data.conversation.messages[])",
		Columns: withExtras(webhookMessageColumns), Count: WebhookMessageCount},
	{Name: "contacts", Doc: payload.KindWebhook, Summary: "one row per REST webhook with a contact (data.contact)",
		Columns: withExtras(contactColumns), Count: func(d *payload.Doc) int { return min(1, boolInt(d.Webhook.Contact.Self.Present())) }},
	{Name: "domains", Doc: payload.KindStats, Summary: "one row per domain of a stats report",
		Columns: withExtras(append([]Column{hourColumn}, domainColumns...)), Count: func(d *payload.Doc) int { return len(d.Stats.Domains) }},
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// RowKindNames lists the names of the row kinds.
func RowKindNames() []string {
	names := make([]string, len(RowKinds))
	for i, k := range RowKinds {
		names[i] = k.Name
	}
	return names
}

// LookupRowKind finds a row kind by name.
func LookupRowKind(name string) (*RowKind, error) {
	for _, k := range RowKinds {
		if k.Name == name {
			return k, nil
		}
	}
	return nil, fmt.Errorf("unknown --rows %q: use %s", name, strings.Join(RowKindNames(), ", "))
}

// RowsFor returns the row kind that converts documents of kind k.
func RowsFor(k payload.Kind) *RowKind {
	for _, rk := range RowKinds {
		if rk.Doc == k {
			return rk
		}
	}
	return nil
}

// VariablePrefix starts the dynamic columns of visitor variables on chat rows.
const VariablePrefix = "visitor.variables."

// variableColumn is the column visitor.variables.<key>.value (or .label).
func variableColumn(name string) (Column, bool) {
	rest, ok := strings.CutPrefix(name, VariablePrefix)
	if !ok {
		return Column{}, false
	}
	key, part := rest, "value"
	if k, ok := strings.CutSuffix(rest, ".value"); ok {
		key = k
	} else if k, ok := strings.CutSuffix(rest, ".label"); ok {
		key, part = k, "label"
	}
	get := func(r *Row) payload.Value {
		for i := range r.Doc.Hook.Visitor.Variables {
			v := &r.Doc.Hook.Visitor.Variables[i]
			if v.Key.Text() == key {
				if part == "label" {
					return v.Label
				}
				return v.Val
			}
		}
		return payload.Value{}
	}
	return Column{Name: VariablePrefix + key + "." + part, Get: get}, true
}

// Select returns the columns to write: names in that order when given, else the
// defaults, or with all every column followed by the variables' values for varKeys.
func (k *RowKind) Select(names []string, all bool, varKeys []string) ([]Column, error) {
	if len(names) == 0 {
		var cols []Column
		for _, c := range k.Columns {
			if (all && !c.Extra) || c.Default {
				cols = append(cols, c)
			}
		}
		if all && k.Name == "chats" {
			for _, key := range varKeys {
				c, _ := variableColumn(VariablePrefix + key + ".value")
				cols = append(cols, c)
			}
		}
		return cols, nil
	}
	cols := make([]Column, 0, len(names))
	for _, name := range names {
		name = strings.TrimSpace(name)
		i := slices.IndexFunc(k.Columns, func(c Column) bool { return c.Name == name })
		switch {
		case i >= 0:
			cols = append(cols, k.Columns[i])
		case k.Name == "chats" && strings.HasPrefix(name, VariablePrefix):
			c, _ := variableColumn(name)
			cols = append(cols, c)
		default:
			return nil, fmt.Errorf("no column %q for --rows %s (see --list-columns --rows %s)", name, k.Name, k.Name)
		}
	}
	return cols, nil
}

// VariableKeys appends to keys, in order of first appearance, the visitor variable keys
// of doc that keys does not hold yet (seen indexes them).
func VariableKeys(keys []string, seen map[string]bool, doc *payload.Doc) []string {
	for i := range doc.Hook.Visitor.Variables {
		k := doc.Hook.Visitor.Variables[i].Key.Text()
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}
