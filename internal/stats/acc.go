package stats

import (
	"bytes"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// Limits that keep memory flat on hostile inputs: past them, new keys are counted
// under "(other)".
const (
	maxKeys   = 50_000 // distinct pages, referrers, countries, agents, events, close types
	maxGroups = 2_000  // distinct --by groups (over five years of days)
	maxAgents = 5_000  // distinct agents
	maxKeyLen = 256    // bytes of a counted key (a URL, a name); longer ones are cut
	otherKey  = "(other)"
	noneKey   = "(none)"
)

// clip cuts a key to maxKeyLen bytes, at the start of a UTF-8 character.
func clip(key []byte) []byte {
	if len(key) <= maxKeyLen {
		return key
	}
	n := maxKeyLen
	for n > 0 && !utf8.RuneStart(key[n]) {
		n--
	}
	return key[:n]
}

// agentAcc is one agent's figures.
type agentAcc struct {
	Chats, Joined, Messages, FirstResponses int64
	FirstResponse                           Sketch // their first answers, from message times
	Ratings                                 [5]int64
	names                                   map[string]int64
}

func (a *agentAcc) merge(o *agentAcc) {
	a.Chats += o.Chats
	a.Joined += o.Joined
	a.Messages += o.Messages
	a.FirstResponses += o.FirstResponses
	a.FirstResponse.Merge(&o.FirstResponse)
	for i := range a.Ratings {
		a.Ratings[i] += o.Ratings[i]
	}
	if a.names == nil {
		a.names = map[string]int64{}
	}
	mergeCounts(a.names, o.names)
}

// name is the agent's most used name (ties: the smallest), so the result does not
// depend on which worker saw which chat.
func (a *agentAcc) name() string {
	best, n := "", int64(0)
	for k, c := range a.names {
		if c > n || (c == n && k < best) {
			best, n = k, c
		}
	}
	return best
}

// acc holds the figures of the documents one worker has seen; accs merge.
type acc struct {
	cfg *config

	hooks, webhooks, outside int64
	all                      Core
	groups                   map[string]*Core
	heat                     [7][24]int64 // Monday first, hour in --tz
	volume                   map[int64]int64
	agents                   map[string]*agentAcc
	pages, referrers         map[string]int64
	countries                map[string]int64
	events, closeTypes       map[string]int64

	// scratch, reused per chat
	facts chatFacts
	crew  []crewMember
	key   []byte
	text  []byte
	wh    webhookScan
}

// crewMember is an agent taking part in one chat.
type crewMember struct {
	id       []byte
	name     []byte
	joined   bool
	messages int64
}

func newAcc(cfg *config) *acc {
	return &acc{
		cfg: cfg, groups: map[string]*Core{}, volume: map[int64]int64{}, agents: map[string]*agentAcc{},
		pages: map[string]int64{}, referrers: map[string]int64{}, countries: map[string]int64{},
		events: map[string]int64{}, closeTypes: map[string]int64{},
	}
}

// addHook counts a POST hook that passed the checks.
func (a *acc) addHook(h *payload.Hook) {
	begin, ok := h.BeginAt.Int()
	if !ok {
		return
	}
	if !a.cfg.inRange(begin) {
		a.outside++
		return
	}
	a.hooks++
	f := &a.facts
	factsOf(h, f)
	a.all.add(f)
	t := time.UnixMilli(begin).In(a.cfg.tz)
	a.heat[(int(t.Weekday())+6)%7][t.Hour()]++
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
	if _, ok := a.volume[day]; ok || len(a.volume) < maxKeys {
		a.volume[day]++
	}
	a.crewOf(h.Messages)
	a.addAgents(f)
	a.addVisitor(h)
	if a.cfg.by != "" {
		a.addGroups(h, t, f)
	}
}

// crewOf lists the agents who joined or wrote, with their messages.
func (a *acc) crewOf(msgs []payload.Message) {
	a.crew = a.crew[:0]
	for i := range msgs {
		m := &msgs[i]
		id := agentID(m.From)
		if id == nil {
			continue
		}
		join := string(m.Type.Raw) == "system" && string(m.Content.Raw) == "agent.join"
		wrote := string(m.Type.Raw) == "agent" && !isTrigger(m)
		if !join && !wrote {
			continue
		}
		c := a.member(id)
		c.joined = c.joined || join
		if wrote {
			c.messages++
		}
		if len(c.name) == 0 && m.Name.Kind == jsontext.String && !m.Name.Escaped {
			c.name = m.Name.Raw
		}
	}
}

func (a *acc) member(id []byte) *crewMember {
	for i := range a.crew {
		if bytes.Equal(a.crew[i].id, id) {
			return &a.crew[i]
		}
	}
	a.crew = append(a.crew, crewMember{id: id})
	return &a.crew[len(a.crew)-1]
}

func (a *acc) addAgents(f *chatFacts) {
	for i := range a.crew {
		c := &a.crew[i]
		id := clip(c.id)
		ag := a.agents[string(id)]
		if ag == nil {
			key := string(id)
			if len(a.agents) >= maxAgents {
				key = otherKey
			}
			if ag = a.agents[key]; ag == nil {
				ag = &agentAcc{names: map[string]int64{}, FirstResponse: Sketch{p: coarse}}
				a.agents[key] = ag
			}
		}
		ag.Chats++
		if c.joined {
			ag.Joined++
		}
		ag.Messages += c.messages
		if f.firstAgent != nil && bytes.Equal(f.firstAgent, c.id) {
			ag.FirstResponses++
			ag.FirstResponse.Add(f.firstMsgs)
		}
		if f.rating > 0 {
			ag.Ratings[f.rating-1]++
		}
		if name := clip(c.name); len(name) > 0 && (len(ag.names) < 16 || ag.names[string(name)] > 0) {
			ag.names[string(name)]++
		}
	}
}

// addVisitor counts the pages, the referrer and the country.
func (a *acc) addVisitor(h *payload.Hook) {
	for i := range h.Paths {
		if u := h.Paths[i].URL; u.Kind == jsontext.String && len(u.Raw) > 0 {
			count(a.pages, a.textOf(u))
		}
	}
	if r := h.Visitor.Referer; r.Kind == jsontext.String && len(r.Raw) > 0 {
		count(a.referrers, a.textOf(r))
	}
	v := &h.Visitor
	switch {
	case v.CountryCode.Kind == jsontext.String && len(v.CountryCode.Raw) > 0:
		count(a.countries, bytes.ToUpper(a.textOf(v.CountryCode)))
	case v.Country.Kind == jsontext.String && len(v.Country.Raw) > 0:
		count(a.countries, a.textOf(v.Country))
	default:
		count(a.countries, []byte("(unknown)"))
	}
}

// textOf is a string value's text in the scratch buffer (valid until the next call).
func (a *acc) textOf(v payload.Value) []byte {
	if !v.Escaped {
		return v.Raw
	}
	a.text = v.AppendText(a.text[:0])
	return a.text
}

// count adds one to m[key], under "(other)" once m is full.
func count(m map[string]int64, key []byte) {
	key = clip(key)
	if _, ok := m[string(key)]; ok || len(m) < maxKeys {
		m[string(key)]++
		return
	}
	m[otherKey]++
}

func mergeCounts(dst, src map[string]int64) {
	for k, n := range src {
		if _, ok := dst[k]; ok || len(dst) < maxKeys {
			dst[k] += n
		} else {
			dst[otherKey] += n
		}
	}
}

// addGroups counts the chat into its --by groups (several for --by agent).
func (a *acc) addGroups(h *payload.Hook, t time.Time, f *chatFacts) {
	k := a.key[:0]
	switch a.cfg.by {
	case ByDay:
		k = t.AppendFormat(k, "2006-01-02")
	case ByWeek:
		y, w := t.ISOWeek()
		k = strconv.AppendInt(k, int64(y), 10)
		k = append(k, "-W"...)
		if w < 10 {
			k = append(k, '0')
		}
		k = strconv.AppendInt(k, int64(w), 10)
	case ByMonth:
		k = t.AppendFormat(k, "2006-01")
	case ByAccount:
		k = append(k, h.AccountID.Raw...)
	case ByDomain:
		k = append(k, noneKey...)
		if len(h.Paths) > 0 && h.Paths[0].URL.Kind == jsontext.String {
			if host := hostOf(a.textOf(h.Paths[0].URL)); len(host) > 0 {
				k = append(k[:0], host...)
			}
		}
	case ByAgent:
		for i := range a.crew {
			a.group(a.crew[i].id).add(f)
		}
		if len(a.crew) == 0 {
			a.group([]byte(noneKey)).add(f)
		}
		return
	}
	a.key = k
	a.group(k).add(f)
}

func (a *acc) group(key []byte) *Core {
	key = clip(key)
	if g := a.groups[string(key)]; g != nil {
		return g
	}
	k := string(key)
	if len(a.groups) >= maxGroups {
		k = otherKey
		if g := a.groups[k]; g != nil {
			return g
		}
	}
	g := newCore(coarse)
	a.groups[k] = g
	return g
}

// hostOf is the host of a URL ("https://shop.example/x" → "shop.example"), lower case.
func hostOf(u []byte) []byte {
	if i := bytes.Index(u, []byte("://")); i >= 0 {
		u = u[i+3:]
	}
	if i := bytes.IndexAny(u, "/?#"); i >= 0 {
		u = u[:i]
	}
	if i := bytes.LastIndexByte(u, '@'); i >= 0 {
		u = u[i+1:]
	}
	if i := bytes.LastIndexByte(u, ':'); i >= 0 && !bytes.Contains(u[i:], []byte("]")) {
		u = u[:i]
	}
	return bytes.ToLower(u)
}

// merge adds o to a.
func (a *acc) merge(o *acc) {
	a.hooks += o.hooks
	a.webhooks += o.webhooks
	a.outside += o.outside
	a.all.Merge(&o.all)
	for k, g := range o.groups {
		a.group([]byte(k)).Merge(g)
	}
	for d := range a.heat {
		for h := range a.heat[d] {
			a.heat[d][h] += o.heat[d][h]
		}
	}
	for d, n := range o.volume {
		if _, ok := a.volume[d]; ok || len(a.volume) < maxKeys {
			a.volume[d] += n
		}
	}
	for k, ag := range o.agents {
		if mine := a.agents[k]; mine != nil {
			mine.merge(ag)
		} else {
			a.agents[k] = ag
		}
	}
	mergeCounts(a.pages, o.pages)
	mergeCounts(a.referrers, o.referrers)
	mergeCounts(a.countries, o.countries)
	mergeCounts(a.events, o.events)
	mergeCounts(a.closeTypes, o.closeTypes)
}
