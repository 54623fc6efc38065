package fake

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/smarthook/smarthook/internal/payload"
)

// checkWebhook verifies a webhook of the documented shape and returns the id of its
// conversation (the key's second part): the payload decoder finds nothing wrong (no
// unknown event, every member of its type), conversation events carry the
// conversation and the contact side by side, and the events about a message carry it.
func checkWebhook(m map[string]any) (string, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	var d payload.Decoder
	doc, fs := d.Decode(raw)
	if doc.Kind != payload.KindWebhook || len(fs) > 0 {
		return "", fmt.Errorf("kind %v, findings %+v", doc.Kind, fs)
	}
	ts, _ := m["timestamp"].(string)
	if !isoMillis.MatchString(ts) {
		return "", fmt.Errorf("timestamp %q", ts)
	}
	event := fmt.Sprint(m["event"])
	data, _ := m["data"].(map[string]any)
	conv, _ := data["conversation"].(map[string]any)
	switch {
	case strings.HasPrefix(event, "contact."):
		contact, _ := data["contact"].(map[string]any)
		if len(data) != 1 || contact["id"] == nil {
			return "", fmt.Errorf("%s data %v", event, data)
		}
		return "", nil
	case strings.HasPrefix(event, "visitor."):
		return "", nil
	case event == evAgentJoined || event == evAgentLeft:
		if len(data) != 2 || data["conversation_id"] == nil || data["agent_id"] == nil {
			return "", fmt.Errorf("%s data %v", event, data)
		}
		return data["conversation_id"].(string), nil
	}
	if conv == nil || conv["messages"] != nil || conv["contact"] != nil || data["contact"] == nil {
		return "", fmt.Errorf("%s: not the documented shape: %v", event, data)
	}
	wantMsg := event != evOpened && event != evClosed && event != evClosedByContact && event != evRated &&
		event != evAgentAssigned && event != evAgentUnassigned
	if _, has := data["message"]; has != wantMsg {
		return "", fmt.Errorf("%s: data.message present %v", event, has)
	}
	if event == evRated {
		if r, err := integer(data["rating_value"], "rating_value"); err != nil || r < 1 || r > 5 {
			return "", fmt.Errorf("rating %v", data["rating_value"])
		}
	}
	return conv["id"].(string), nil
}

// checkStats verifies a domain-stats-report and returns its domain count.
func checkStats(m map[string]any) (int, error) {
	if len(m) != 1 {
		return 0, fmt.Errorf("top-level keys: %d, want only domains", len(m))
	}
	domains, ok := m["domains"].(map[string]any)
	if !ok || len(domains) < 1 || len(domains) > 6 {
		return 0, fmt.Errorf("domains %T with %d entries", m["domains"], len(domains))
	}
	for d, v := range domains {
		obj, _ := v.(map[string]any)
		var n [4]int64
		for k, key := range []string{"visits", "conversations", "autoMessages", "autoMessagesReply"} {
			x, err := integer(obj[key], d+"."+key)
			if err != nil || x < 0 {
				return 0, fmt.Errorf("%s.%s = %v (%v)", d, key, obj[key], err)
			}
			n[k] = x
		}
		if n[1] > n[0] || n[2] > n[0] || n[3] > n[2] || len(obj) != 4 {
			return 0, fmt.Errorf("%s: inconsistent counters %v", d, obj)
		}
	}
	return len(domains), nil
}
