package stats

import (
	"bytes"
	"math"
	"runtime"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
)

// Workers decode each document and work out what it contributes (a summary); the
// emitter, which sees the summaries in input order, drops repeated deliveries and adds
// the rest. Summaries point into the batch's bytes, which live until the emitter is
// past the batch, so they copy only escaped text.

// batchResult is what a worker hands to the ordered emitter for one batch.
type batchResult struct {
	problems map[int][]rules.Finding // findings of the records left out
	docs     []docSummary
	crew     []crewMember     // the agents of every hook; hookSummary.crew indexes it
	texts    [][]byte         // the pages of every hook; hookSummary.pages indexes it
	webhooks []webhookSummary // docSummary.other indexes it for a webhook
	reports  []statsReport    // and this for a stats report
}

// docSummary is what one document contributes.
type docSummary struct {
	rec     int // index in the batch
	kind    payload.Kind
	fp      uint64 // delivery fingerprint; 0: not told apart
	outside bool   // outside --since/--until
	hook    hookSummary
	other   int // index in batchResult.webhooks or .reports
}

// hookSummary is a POST hook's figures, agents and visitor.
type hookSummary struct {
	begin    int64 // ms
	facts    chatFacts
	crew     [2]int // [lo, hi) in batchResult.crew
	pages    [2]int // [lo, hi) in batchResult.texts
	referrer []byte // nil when none
	country  []byte
	account  []byte // accountId as written
	domain   []byte // host of the first page, nil when none
}

// webhookSummary is a REST webhook's event, close type, conversation and rating.
type webhookSummary struct {
	at        int64 // ms; math.MinInt64 without a timestamp
	event     []byte
	closeType []byte // conversation.closed only; "(not given)" when it has none
	conv      uint64 // conversation fingerprint; 0: names none
	rating    int8   // 1..5, 0: carries none
	comment   bool
}

// summarizer is one worker's state.
type summarizer struct {
	cfg *config
	dec payload.Decoder
	fp  *fingerprinter
}

// batch decodes and summarizes a batch's documents.
func (s *summarizer) batch(b *input.Batch) *batchResult {
	r := newResult()
	for i, rec := range b.Records {
		if rec.Err != nil {
			continue
		}
		doc, fs := s.dec.Decode(rec.Raw)
		if errs := rules.Errors(fs); len(errs) > 0 {
			if r.problems == nil {
				r.problems = map[int][]rules.Finding{}
			}
			r.problems[i] = errs
			continue
		}
		d := docSummary{rec: i, kind: doc.Kind, fp: s.fp.of(doc)}
		switch doc.Kind {
		case payload.KindHook:
			begin, ok := doc.Hook.BeginAt.Int()
			if !ok {
				continue
			}
			d.outside = !s.cfg.inRange(begin)
			if !d.outside {
				d.hook = s.hook(&doc.Hook, begin, r)
			}
		case payload.KindWebhook:
			var ws webhookSummary
			ws, d.outside = s.webhook(&doc.Webhook)
			d.other = len(r.webhooks)
			r.webhooks = append(r.webhooks, ws)
		case payload.KindStats:
			d.other = len(r.reports)
			r.reports = append(r.reports, reportOf(i, &doc.Stats))
		default:
			continue
		}
		r.docs = append(r.docs, d)
	}
	return r
}

// results recycles batch results, as many as can be in flight: summaries take about
// a third of a batch's bytes, and making them anew for every batch kept the collector
// busy. (A sync.Pool is emptied by every collection, which comes often here.)
var results = make(chan *batchResult, 3*runtime.GOMAXPROCS(0)+2)

func newResult() *batchResult {
	select {
	case r := <-results:
		return r
	default:
		return new(batchResult)
	}
}

// release gives r back for another batch, without the references into its batch.
func (r *batchResult) release() {
	clear(r.docs)
	clear(r.crew)
	clear(r.texts)
	clear(r.webhooks)
	clear(r.reports)
	r.problems, r.docs, r.crew, r.texts = nil, r.docs[:0], r.crew[:0], r.texts[:0]
	r.webhooks, r.reports = r.webhooks[:0], r.reports[:0]
	select {
	case results <- r:
	default:
	}
}

// hook summarizes a POST hook in the range.
func (s *summarizer) hook(h *payload.Hook, begin int64, r *batchResult) hookSummary {
	hs := hookSummary{begin: begin, account: h.AccountID.Raw}
	factsOf(h, &hs.facts)
	hs.crew[0] = len(r.crew)
	r.crew = appendCrew(r.crew, h.Messages)
	hs.crew[1] = len(r.crew)
	hs.pages[0] = len(r.texts)
	for i := range h.Paths {
		if u := h.Paths[i].URL; u.Kind == jsontext.String && len(u.Raw) > 0 {
			r.texts = append(r.texts, textOf(u))
		}
	}
	hs.pages[1] = len(r.texts)
	if s.cfg.by == ByDomain && len(h.Paths) > 0 && h.Paths[0].URL.Kind == jsontext.String {
		hs.domain = hostOf(textOf(h.Paths[0].URL))
	}
	if ref := h.Visitor.Referer; ref.Kind == jsontext.String && len(ref.Raw) > 0 {
		hs.referrer = textOf(ref)
	}
	v := &h.Visitor
	switch {
	case v.CountryCode.Kind == jsontext.String && len(v.CountryCode.Raw) > 0:
		hs.country = bytes.ToUpper(textOf(v.CountryCode))
	case v.Country.Kind == jsontext.String && len(v.Country.Raw) > 0:
		hs.country = textOf(v.Country)
	default:
		hs.country = unknownCountry
	}
	return hs
}

var unknownCountry = []byte("(unknown)")

// textOf is a string value's text: its raw bytes, or a copy with the escapes undone.
func textOf(v payload.Value) []byte {
	if !v.Escaped {
		return v.Raw
	}
	return v.AppendText(nil)
}

// appendCrew appends the agents who joined or wrote, with their messages.
func appendCrew(crew []crewMember, msgs []payload.Message) []crewMember {
	lo := len(crew)
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
		var c *crewMember
		crew, c = member(crew, lo, id)
		c.joined = c.joined || join
		if wrote {
			c.messages++
		}
		if len(c.name) == 0 && m.Name.Kind == jsontext.String && !m.Name.Escaped {
			c.name = m.Name.Raw
		}
	}
	return crew
}

// member is the agent id among crew[lo:], added when it is not there yet.
func member(crew []crewMember, lo int, id []byte) ([]crewMember, *crewMember) {
	for i := lo; i < len(crew); i++ {
		if bytes.Equal(crew[i].id, id) {
			return crew, &crew[i]
		}
	}
	crew = append(crew, crewMember{id: id})
	return crew, &crew[len(crew)-1]
}

// webhook summarizes a REST webhook; outside reports it outside --since/--until (or
// without a time when they are set: it cannot be placed in the range).
func (s *summarizer) webhook(w *payload.Webhook) (ws webhookSummary, outside bool) {
	ws.at = math.MinInt64
	if ts, ok := payload.ParseISOTime(w.Timestamp.Text()); ok {
		ws.at = ts.UnixMilli()
		if !s.cfg.inRange(ws.at) {
			return ws, true
		}
	} else if s.cfg.bounded() {
		return ws, true
	}
	ws.event = textOf(w.Event)
	if len(ws.event) == 0 {
		ws.event = []byte("(none)")
	}
	if string(ws.event) == "conversation.closed" {
		ws.closeType = []byte("(not given)")
		// data.close_type, else data.conversation.close_type, as the decoder read them.
		for _, v := range []payload.Value{w.CloseType, w.Conversation.CloseType} {
			if v.Kind == jsontext.String && len(v.Raw) > 0 {
				ws.closeType = bytes.Clone(textOf(v))
				break
			}
		}
	}
	ws.conv = s.fp.conversation(w)
	ws.rating, ws.comment = ratingOf(w)
	return ws, false
}
