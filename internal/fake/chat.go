package fake

// maxMsgs caps messages per chat; real chats rarely exceed it and a fixed
// array keeps the plan on the stack.
const maxMsgs = 30

// msgKind is what a planned message is; it decides type, name, from and
// content when the message is written out.
type msgKind uint8

const (
	mVisitor      msgKind = iota // visitor text
	mAgent                       // agent text
	mTrigger                     // automatic message: type agent, from system
	mJoin                        // system agent.join
	mLeave                       // system agent.leave
	mCloseVisitor                // system close.visitorClose
	mCloseAgent                  // system close.agentClose
)

// chatKind is the outcome of a chat, which fixes the channel flags.
type chatKind uint8

const (
	chatServed  chatKind = iota // visitor and agent talked
	chatMissed                  // visitor wrote, nobody answered
	chatOffline                 // offline-form message
)

// body is a message text made of up to two vocabulary phrases plus an
// optional emoji; it is stored as pointers so planning copies no bytes.
type body struct {
	parts   [2]*text
	n       uint8
	newline bool // join parts with "\n" instead of a space
	emoji   *text
}

// msg is one planned message.
type msg struct {
	kind   msgKind
	agent  uint8 // index into account.agents
	noName bool  // omit "name", as the docs' first visitor message does
	at     int64 // sentAt, ms
	body   body
}

// chat is the complete plan of one hook document. Messages are planned
// before anything is written because channel statistics precede messages in
// the key order.
type chat struct {
	acc      *account
	loc      *location // nil: city, countryCode and country are null
	lang     *lang
	who      *person // nil: anonymous visitor
	nameNull bool    // anonymous visitor's name is null rather than ""
	kind     chatKind
	dropped  bool
	trig     *trigger // nil: no trigger fired
	rating   int      // 0: not rated (null)
	comment  *text    // rating comment; nil with a rating means ""

	begin, end int64
	msgs       [maxMsgs]msg
	n          int

	words     int
	pending   int64 // sentAt of the first unanswered visitor message, or -1
	firstResp int64 // ms, -1 until the first agent answer
	respSum   int64
	respN     int64
	vkey      [47]byte // visitor key for "from": 34 letters + 13 digits
}

// add appends a message and keeps the response-time and word statistics
// that channel reports.
func (c *chat) add(m msg) {
	if c.n == maxMsgs {
		return
	}
	c.msgs[c.n] = m
	c.n++
	for _, p := range m.body.parts[:m.body.n] {
		c.words += p.words
	}
	switch m.kind {
	case mVisitor:
		if c.pending < 0 {
			c.pending = m.at
		}
	case mAgent:
		if c.pending >= 0 {
			d := m.at - c.pending
			if c.respN == 0 {
				c.firstResp = d
			}
			c.respSum += d
			c.respN++
			c.pending = -1
		}
	}
}

// say draws a message body from pool: usually one phrase, sometimes two on
// one line or on separate lines, sometimes with an emoji.
func (r *rng) say(pool []text) body {
	b := body{n: 1}
	b.parts[0] = &pool[r.intn(len(pool))]
	if r.pct(15) {
		b.parts[1] = &pool[r.intn(len(pool))]
		b.n = 2
		b.newline = r.pct(40)
	}
	if r.pct(12) {
		b.emoji = &emoji[r.intn(len(emoji))]
	}
	return b
}

// gap returns a delay of lo..hi seconds with millisecond precision, so
// timestamps do not all end in 000.
func (r *rng) gap(lo, hi int) int64 { return int64(r.between(lo*1000, hi*1000)) }

// plan decides everything random about the chat. The order of draws is part
// of the output format: changing it changes every document for a seed.
func (c *chat) plan(r *rng) {
	c.pending, c.firstResp = -1, -1
	c.planVisitor(r)
	switch roll := r.intn(100); {
	case roll < 5:
		c.kind = chatOffline
	case roll < 20:
		c.kind = chatMissed
		c.dropped = r.pct(40)
	}
	t := c.begin
	if r.pct(20) {
		c.trig = &c.acc.triggers[r.intn(len(c.acc.triggers))]
		c.add(msg{kind: mTrigger, at: t})
		t += r.gap(3, 90)
	}
	switch c.kind {
	case chatOffline:
		t = c.planUnanswered(r, t, c.lang.offline, 2)
		c.end = t
	case chatMissed:
		t = c.planUnanswered(r, t, c.lang.opener, 3)
		// The visitor waited in vain before leaving.
		c.end = t + r.gap(0, 180)
	default:
		c.end = c.planServed(r, t)
		if r.pct(50) {
			c.rating = ratingDist[r.intn(len(ratingDist))]
			if r.pct(40) {
				c.comment = &c.lang.comment[r.intn(len(c.lang.comment))]
			}
		}
	}
}

// ratingDist skews ratings towards 5 like real satisfaction data.
var ratingDist = [...]int{1, 2, 3, 3, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}

// planVisitor picks who the visitor is and where they are; the language of
// the conversation follows the visitor's country.
func (c *chat) planVisitor(r *rng) {
	loc := &locations[r.intn(len(locations))]
	c.lang = loc.lang
	if !r.pct(5) {
		c.loc = loc
	}
	if r.pct(70) {
		c.who = &c.lang.people[r.intn(len(c.lang.people))]
	} else {
		c.nameNull = r.pct(60)
	}
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	for k := 0; k < 34; k++ {
		c.vkey[k] = letters[r.intn(len(letters))]
	}
	// The key ends in the visitor's first-seen time, up to 60 days earlier.
	seen := c.begin - r.gap(0, 60*86400)
	for k := 46; k >= 34; k-- {
		c.vkey[k] = byte('0' + seen%10)
		seen /= 10
	}
}

// planUnanswered adds 1..most visitor messages nobody answers.
func (c *chat) planUnanswered(r *rng, t int64, first []text, most int) int64 {
	c.add(msg{kind: mVisitor, at: t, noName: r.pct(50), body: r.say(first)})
	for k := r.between(1, most); k > 1; k-- {
		t += r.gap(5, 60)
		c.add(msg{kind: mVisitor, at: t, body: r.say(c.lang.question)})
	}
	return t
}

// planServed adds a normal conversation starting at t and returns endAt.
func (c *chat) planServed(r *rng, t int64) int64 {
	a := uint8(r.intn(len(c.acc.agents)))
	c.add(msg{kind: mVisitor, at: t, noName: r.pct(50), body: r.say(c.lang.opener)})
	t += r.gap(2, 40)
	c.add(msg{kind: mJoin, at: t, agent: a})
	t += r.gap(1, 20)
	c.add(msg{kind: mAgent, at: t, agent: a, body: r.say(c.lang.greet)})
	turns := turnCount(r)
	handover := turns >= 2 && r.pct(8)
	// Leave room for a handover (2), the thanks and the close message.
	for k := 0; k < turns && c.n+6 <= maxMsgs; k++ {
		t += r.gap(5, 90)
		c.add(msg{kind: mVisitor, at: t, body: r.say(c.lang.question)})
		if handover && k == turns/2 {
			t += r.gap(1, 5)
			c.add(msg{kind: mLeave, at: t, agent: a})
			a = uint8((int(a) + 1) % len(c.acc.agents))
			t += r.gap(2, 15)
			c.add(msg{kind: mJoin, at: t, agent: a})
		}
		t += r.gap(3, 60)
		c.add(msg{kind: mAgent, at: t, agent: a, body: r.say(c.lang.answer)})
	}
	if r.pct(60) {
		t += r.gap(3, 40)
		c.add(msg{kind: mVisitor, at: t, body: r.say(c.lang.thanks)})
	}
	if !r.pct(90) {
		// Closed by a timeout that leaves no message.
		return t + r.gap(0, 10)
	}
	t += r.gap(1, 30)
	if r.pct(60) {
		c.add(msg{kind: mCloseVisitor, at: t})
	} else {
		c.add(msg{kind: mCloseAgent, at: t, agent: a})
	}
	return t
}

// turnCount draws the number of question/answer pairs after the greeting,
// giving 4–12 messages for most chats and a long tail up to the cap.
func turnCount(r *rng) int {
	switch roll := r.intn(100); {
	case roll < 20:
		return 0
	case roll < 80:
		return r.between(1, 2)
	case roll < 96:
		return r.between(3, 6)
	default:
		return r.between(7, 13)
	}
}
