package fake

import "fmt"

// webhookEvents are the event names the generator may emit.
var webhookEvents = map[string]bool{
	evOpened: true, evClosed: true, evRated: true, evAgentJoined: true,
	evContactReply: true, evAgentReplied: true, evAgentAssigned: true,
}

// checkWebhook verifies the v2 envelope and conversation shape and returns
// the conversation id.
func checkWebhook(m map[string]any) (string, error) {
	if m["type"] != "event_callback" || !webhookEvents[fmt.Sprint(m["event"])] {
		return "", fmt.Errorf("type %v event %v", m["type"], m["event"])
	}
	ts, _ := m["timestamp"].(string)
	if !isoMillis.MatchString(ts) {
		return "", fmt.Errorf("timestamp %q", ts)
	}
	for _, k := range []string{"account_id", "app_id"} {
		if s, ok := m[k].(string); !ok || s == "" {
			return "", fmt.Errorf("%s = %v", k, m[k])
		}
	}
	data, _ := m["data"].(map[string]any)
	conv, ok := data["conversation"].(map[string]any)
	if !ok {
		return "", fmt.Errorf("data.conversation is %T", data["conversation"])
	}
	id, _ := conv["id"].(string)
	switch conv["status"] {
	case "pending", "open", "served", "closed":
	default:
		return "", fmt.Errorf("status %v", conv["status"])
	}
	contact, ok := conv["contact"].(map[string]any)
	if _, idOK := contact["id"].(string); !ok || !idOK || id == "" {
		return "", fmt.Errorf("conversation id %q contact %v", id, conv["contact"])
	}
	for _, k := range []string{"assigned_agent_ids", "tags"} {
		if err := stringArray(conv[k], k); err != nil {
			return "", err
		}
	}
	msgs, ok := conv["messages"].([]any)
	if !ok {
		return "", fmt.Errorf("messages is %T", conv["messages"])
	}
	prev := ""
	for k, v := range msgs {
		at, err := checkV2Message(v)
		if err != nil {
			return "", fmt.Errorf("message %d: %w", k, err)
		}
		if at < prev {
			return "", fmt.Errorf("message %d created_at %s before %s", k, at, prev)
		}
		prev = at
	}
	if m["event"] == evRated {
		rating, _ := data["rating"].(map[string]any)
		if r, err := integer(rating["value"], "rating.value"); err != nil || r < 1 || r > 5 {
			return "", fmt.Errorf("rating %v", data["rating"])
		}
	}
	return id, nil
}

// stringArray accepts a JSON array of strings.
func stringArray(v any, what string) error {
	arr, ok := v.([]any)
	if !ok {
		return fmt.Errorf("%s is %T", what, v)
	}
	for _, e := range arr {
		if _, ok := e.(string); !ok {
			return fmt.Errorf("%s holds %T", what, e)
		}
	}
	return nil
}

// checkV2Message verifies one REST API message and returns its created_at.
func checkV2Message(v any) (string, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return "", fmt.Errorf("is %T", v)
	}
	switch m["sub_type"] {
	case "contact", "agent", "system", "trigger", "bot":
	default:
		return "", fmt.Errorf("sub_type %v", m["sub_type"])
	}
	content, _ := m["content"].(map[string]any)
	text, _ := content["text"].(string)
	id, _ := m["id"].(string)
	at, _ := m["created_at"].(string)
	if m["type"] != "message" || content["type"] != "text" || text == "" || id == "" || !isoMillis.MatchString(at) {
		return "", fmt.Errorf("bad message %v", m)
	}
	return at, nil
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
