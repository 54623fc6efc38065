package stats

import (
	"bytes"
	"strconv"
	"time"
	"unicode/utf8"
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

// acc holds the figures of the documents counted.
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

	key     []byte         // scratch for group keys
	ratings webhookRatings // of REST webhooks, one per conversation
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

// addHook counts a POST hook that passed the checks, from its summary; crew is its
// agents and texts its batch's texts (see batchResult).
func (a *acc) addHook(s *hookSummary, crew []crewMember, texts [][]byte) {
	a.hooks++
	f := &s.facts
	a.all.add(f)
	t := time.UnixMilli(s.begin).In(a.cfg.tz)
	a.heat[(int(t.Weekday())+6)%7][t.Hour()]++
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
	if _, ok := a.volume[day]; ok || len(a.volume) < maxKeys {
		a.volume[day]++
	}
	a.addAgents(f, crew)
	for _, u := range texts[s.pages[0]:s.pages[1]] {
		count(a.pages, u)
	}
	if s.referrer != nil {
		count(a.referrers, s.referrer)
	}
	count(a.countries, s.country)
	if a.cfg.by != "" {
		a.addGroups(s, t, crew)
	}
}

func (a *acc) addAgents(f *chatFacts, crew []crewMember) {
	for i := range crew {
		c := &crew[i]
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

// count adds one to m[key], under "(other)" once m is full.
func count(m map[string]int64, key []byte) {
	key = clip(key)
	if _, ok := m[string(key)]; ok || len(m) < maxKeys {
		m[string(key)]++
		return
	}
	m[otherKey]++
}

// addGroups counts the chat into its --by groups (several for --by agent).
func (a *acc) addGroups(s *hookSummary, t time.Time, crew []crewMember) {
	f := &s.facts
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
		k = append(k, s.account...)
	case ByDomain:
		k = append(k, noneKey...)
		if len(s.domain) > 0 {
			k = append(k[:0], s.domain...)
		}
	case ByAgent:
		for i := range crew {
			a.group(crew[i].id).add(f)
		}
		if len(crew) == 0 {
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
