package fake

import (
	"encoding/json"
	"fmt"
	"strings"
)

// hookFacts are the values of a checked hook that callers compare further.
type hookFacts struct {
	account, channel, begin, end int64
}

// checkHook verifies one decoded hook against the error and warning rules
// of SMARTSUPP.md: a generated hook must be valid and warning-free.
func checkHook(m map[string]any) (hookFacts, error) {
	var f hookFacts
	var err error
	if f.account, err = integer(m["accountId"], "accountId"); err != nil {
		return f, err
	}
	if f.begin, err = millis(m["beginAt"], "beginAt"); err != nil {
		return f, err
	}
	if f.end, err = millis(m["endAt"], "endAt"); err != nil {
		return f, err
	}
	if f.end < f.begin {
		return f, fmt.Errorf("endAt %d < beginAt %d", f.end, f.begin)
	}
	ch, ok := m["channel"].(map[string]any)
	if !ok {
		return f, fmt.Errorf("channel is %T", m["channel"])
	}
	msgs, ok := m["messages"].([]any)
	if !ok || len(msgs) < 1 || len(msgs) > maxMsgs {
		return f, fmt.Errorf("messages: %T with %d entries", m["messages"], len(msgs))
	}
	if f.channel, err = checkChannel(ch, f.begin, f.end); err != nil {
		return f, err
	}
	if err := checkMessages(msgs, ch, f.begin, f.end); err != nil {
		return f, err
	}
	if err := checkVisitor(m["visitor"]); err != nil {
		return f, err
	}
	return f, checkPaths(m["paths"])
}

// checkChannel verifies flag types, the duration rule and the rating pair.
func checkChannel(ch map[string]any, begin, end int64) (int64, error) {
	id, err := integer(ch["id"], "channel.id")
	if err != nil {
		return 0, err
	}
	for _, k := range []string{"isChat", "isMissed", "isTriggered", "isOffline", "isCompleted", "isDropped"} {
		if _, ok := ch[k].(bool); !ok {
			return 0, fmt.Errorf("channel.%s is %T, want bool", k, ch[k])
		}
	}
	d, err := integer(ch["duration"], "duration")
	if err != nil {
		return 0, err
	}
	if d != (end-begin)/1000 {
		return 0, fmt.Errorf("duration %d, want floor((endAt-beginAt)/1000) = %d", d, (end-begin)/1000)
	}
	for _, k := range []string{"avgResponse", "firstResponse"} {
		if ch[k] == nil {
			continue
		}
		if v, err := integer(ch[k], k); err != nil || v < 0 {
			return 0, fmt.Errorf("channel.%s = %v (%v)", k, ch[k], err)
		}
	}
	for _, k := range []string{"messagesCount", "wordsCount"} {
		if _, err := integer(ch[k], k); err != nil {
			return 0, err
		}
	}
	if ch["rating"] == nil {
		if ch["ratingDesc"] != nil {
			return 0, fmt.Errorf("ratingDesc %v without rating", ch["ratingDesc"])
		}
		return id, nil
	}
	r, err := integer(ch["rating"], "rating")
	if err != nil || r < 1 || r > 5 {
		return 0, fmt.Errorf("rating %v outside 1..5 (%v)", ch["rating"], err)
	}
	if _, ok := ch["ratingDesc"].(string); !ok {
		return 0, fmt.Errorf("rated chat has ratingDesc %T, want string", ch["ratingDesc"])
	}
	return id, nil
}

// systemCodes are the system message contents that raise no warning.
var systemCodes = map[string]bool{
	"agent.join": true, "agent.leave": true, "close.visitorClose": true, "close.agentClose": true,
}

// checkMessages verifies each message and that the flags agree with them.
func checkMessages(msgs []any, ch map[string]any, begin, end int64) error {
	prev := begin
	var visitors, agents, triggers int
	for k, v := range msgs {
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("message %d is %T", k, v)
		}
		at, err := millis(m["sentAt"], "sentAt")
		if err != nil {
			return err
		}
		if at < prev || at > end {
			return fmt.Errorf("message %d sentAt %d: previous %d, window [%d, %d]", k, at, prev, begin, end)
		}
		prev = at
		content, ok := m["content"].(string)
		from, _ := m["from"].(string)
		if !ok || content == "" {
			return fmt.Errorf("message %d content %v", k, m["content"])
		}
		if err := stringOrNull(m["triggeredBy"], "triggeredBy"); err != nil {
			return err
		}
		if err := checkMessageKind(m, from, content); err != nil {
			return fmt.Errorf("message %d: %w", k, err)
		}
		switch {
		case m["triggeredBy"] != nil:
			triggers++
		case m["type"] == "visitor":
			visitors++
		case m["type"] == "agent":
			agents++
		}
	}
	if ch["isTriggered"] != (triggers > 0) {
		return fmt.Errorf("isTriggered %v with %d trigger messages", ch["isTriggered"], triggers)
	}
	if ch["isChat"] != (visitors > 0 && agents > 0) {
		return fmt.Errorf("isChat %v with %d visitor and %d agent messages", ch["isChat"], visitors, agents)
	}
	if (ch["isMissed"] == true || ch["isOffline"] == true) && agents > 0 {
		return fmt.Errorf("missed/offline chat has %d agent messages", agents)
	}
	return nil
}

// checkMessageKind verifies type, from and content conventions per type.
func checkMessageKind(m map[string]any, from, content string) error {
	if n, ok := m["name"]; ok {
		if _, isStr := n.(string); !isStr {
			return fmt.Errorf("name is %T", n)
		}
	}
	switch m["type"] {
	case "visitor":
		if !strings.HasPrefix(from, "visitor:") || m["triggeredBy"] != nil {
			return fmt.Errorf("visitor message from %q triggeredBy %v", from, m["triggeredBy"])
		}
	case "agent":
		trig := m["triggeredBy"] != nil
		if trig && (from != "system" || m["name"] != "") || !trig && !strings.HasPrefix(from, "agent:") {
			return fmt.Errorf("agent message from %q name %v triggeredBy %v", from, m["name"], m["triggeredBy"])
		}
	case "system":
		if !systemCodes[content] {
			return fmt.Errorf("unknown system code %q", content)
		}
		wantFrom := strings.HasPrefix(content, "agent.") && strings.HasPrefix(from, "agent:") ||
			strings.HasPrefix(content, "close.") && from == "system"
		if !wantFrom {
			return fmt.Errorf("system %q from %q", content, from)
		}
	default:
		return fmt.Errorf("unknown type %v", m["type"])
	}
	return nil
}

// checkVisitor verifies field types and that countryCode matches country.
func checkVisitor(v any) error {
	vis, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("visitor is %T", v)
	}
	if _, err := integer(vis["id"], "visitor.id"); err != nil {
		return err
	}
	for _, k := range []string{"name", "email", "note", "group", "city", "countryCode", "country"} {
		if err := stringOrNull(vis[k], "visitor."+k); err != nil {
			return err
		}
	}
	for _, k := range []string{"ipAddress", "userAgent", "platform", "referer"} {
		if _, ok := vis[k].(string); !ok {
			return fmt.Errorf("visitor.%s is %T", k, vis[k])
		}
	}
	if code, ok := vis["countryCode"].(string); ok && countryOf[code] != vis["country"] {
		return fmt.Errorf("countryCode %q with country %v", code, vis["country"])
	}
	vars, ok := vis["variables"].(map[string]any)
	if !ok || len(vars) > 4 {
		return fmt.Errorf("variables %T with %d keys", vis["variables"], len(vars))
	}
	for k, raw := range vars {
		obj, ok := raw.(map[string]any)
		_, labelOK := obj["label"].(string)
		if !ok || !labelOK {
			return fmt.Errorf("variable %s = %v", k, raw)
		}
		switch obj["value"].(type) {
		case string:
		case json.Number:
		default:
			return fmt.Errorf("variable %s value is %T", k, obj["value"])
		}
	}
	return nil
}

// checkPaths verifies paths is an array of {url, title} strings.
func checkPaths(v any) error {
	paths, ok := v.([]any)
	if !ok || len(paths) > 5 {
		return fmt.Errorf("paths %T", v)
	}
	for k, p := range paths {
		obj, ok := p.(map[string]any)
		url, urlOK := obj["url"].(string)
		_, titleOK := obj["title"].(string)
		if !ok || !urlOK || !titleOK || !strings.HasPrefix(url, "https://") {
			return fmt.Errorf("path %d = %v", k, p)
		}
	}
	return nil
}
