package payload

import (
	"reflect"
	"sync"
)

// The members of the REST model's objects are found by their json tags: one table per
// struct, built once, maps a member name to its field.
var (
	conversationFields = sync.OnceValue(func() map[string]int { return tagIndex(reflect.TypeFor[Conversation]()) })
	messageFields      = sync.OnceValue(func() map[string]int { return tagIndex(reflect.TypeFor[WebhookMessage]()) })
	contactFields      = sync.OnceValue(func() map[string]int { return tagIndex(reflect.TypeFor[Contact]()) })
)

func tagIndex(t reflect.Type) map[string]int {
	idx := map[string]int{}
	for i := range t.NumField() {
		if tag := t.Field(i).Tag.Get("json"); tag != "" {
			idx[tag] = i
		}
	}
	return idx
}

// fieldOf returns the Value field of *obj (a pointer to a struct of the model) whose
// json tag is key, nil when it has none.
func fieldOf(obj any, fields map[string]int, key string) *Value {
	i, ok := fields[key]
	if !ok {
		return nil
	}
	return reflect.ValueOf(obj).Elem().Field(i).Addr().Interface().(*Value)
}

func conversationField(c *Conversation, key string) *Value {
	return fieldOf(c, conversationFields(), key)
}

func messageField(m *WebhookMessage, key string) *Value { return fieldOf(m, messageFields(), key) }

func contactField(c *Contact, key string) *Value { return fieldOf(c, contactFields(), key) }
