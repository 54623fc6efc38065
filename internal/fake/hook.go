package fake

import "strconv"

// appendHook appends legacy POST hook document i, keys in the order of the
// documentation's example.
func (g *Generator) appendHook(dst []byte, i int) []byte {
	r := g.rng(i)
	var c chat
	// The account must be the first draw: Key relies on it.
	c.acc = &accounts[r.intn(len(accounts))]
	c.begin = g.beginMs(i)
	c.plan(&r)

	dst = append(dst, `{"accountId":`...)
	dst = strconv.AppendInt(dst, c.acc.id, 10)
	dst = append(dst, `,"beginAt":`...)
	dst = strconv.AppendInt(dst, c.begin, 10)
	dst = append(dst, `,"endAt":`...)
	dst = strconv.AppendInt(dst, c.end, 10)
	dst = c.appendChannel(dst, g.channelID(i))
	dst = c.appendVisitor(dst, &r)
	dst = c.appendPaths(dst, &r)
	dst = c.appendMessages(dst)
	return append(dst, '}')
}

// appendChannel writes the "channel" object; its flags and statistics all
// follow from the plan so they never contradict the message list.
func (c *chat) appendChannel(dst []byte, id int64) []byte {
	closed := c.n > 0 && c.msgs[c.n-1].kind >= mCloseVisitor
	dst = append(dst, `,"channel":{"id":`...)
	dst = strconv.AppendInt(dst, id, 10)
	dst = append(dst, `,"isChat":`...)
	dst = appendBool(dst, c.kind == chatServed)
	dst = append(dst, `,"isMissed":`...)
	dst = appendBool(dst, c.kind == chatMissed)
	dst = append(dst, `,"isTriggered":`...)
	dst = appendBool(dst, c.trig != nil)
	dst = append(dst, `,"isOffline":`...)
	dst = appendBool(dst, c.kind == chatOffline)
	dst = append(dst, `,"isCompleted":`...)
	dst = appendBool(dst, c.kind == chatServed && closed)
	dst = append(dst, `,"isDropped":`...)
	dst = appendBool(dst, c.dropped)
	dst = append(dst, `,"duration":`...)
	dst = strconv.AppendInt(dst, (c.end-c.begin)/1000, 10)
	// Unanswered chats have no response times; null is what the format uses.
	if c.respN == 0 {
		dst = append(dst, `,"avgResponse":null,"firstResponse":null`...)
	} else {
		dst = append(dst, `,"avgResponse":`...)
		dst = strconv.AppendInt(dst, c.respSum/c.respN/1000, 10)
		dst = append(dst, `,"firstResponse":`...)
		dst = strconv.AppendInt(dst, c.firstResp/1000, 10)
	}
	// Like the example (5 for 6 messages), the closing message is not counted.
	count := c.n
	if closed {
		count--
	}
	dst = append(dst, `,"messagesCount":`...)
	dst = strconv.AppendInt(dst, int64(count), 10)
	dst = append(dst, `,"wordsCount":`...)
	dst = strconv.AppendInt(dst, int64(c.words), 10)
	switch {
	case c.rating == 0:
		dst = append(dst, `,"rating":null,"ratingDesc":null}`...)
	case c.comment == nil:
		dst = append(dst, `,"rating":`...)
		dst = strconv.AppendInt(dst, int64(c.rating), 10)
		dst = append(dst, `,"ratingDesc":""}`...)
	default:
		dst = append(dst, `,"rating":`...)
		dst = strconv.AppendInt(dst, int64(c.rating), 10)
		dst = append(dst, `,"ratingDesc":`...)
		dst = appendText(dst, c.comment)
		dst = append(dst, '}')
	}
	return dst
}

// appendVisitor writes the "visitor" object. Fields that nothing else
// depends on are drawn here rather than in the plan.
func (c *chat) appendVisitor(dst []byte, r *rng) []byte {
	dst = append(dst, `,"visitor":{"id":`...)
	dst = strconv.AppendInt(dst, int64(r.between(10_000, 9_999_999)), 10)
	dst = append(dst, `,"name":`...)
	dst = c.appendVisitorName(dst)
	dst = append(dst, `,"email":`...)
	switch {
	case c.who != nil && r.pct(70):
		dst = append(dst, '"')
		dst = append(dst, c.who.slug...)
		dst = append(dst, '@')
		dst = append(dst, emailDomains[r.intn(len(emailDomains))]...)
		dst = append(dst, '"')
	case r.pct(50):
		dst = append(dst, `""`...)
	default:
		dst = append(dst, "null"...)
	}
	dst = append(dst, `,"note":`...)
	dst = appendMaybe(dst, r, 80, 8, c.lang.note)
	dst = append(dst, `,"group":`...)
	dst = appendMaybe(dst, r, 70, 0, groups)
	dst = append(dst, `,"ipAddress":"`...)
	dst = appendIP(dst, r)
	dst = append(dst, `","city":`...)
	if c.loc == nil {
		dst = append(dst, `null,"countryCode":null,"country":null`...)
	} else {
		dst = appendText(dst, &c.loc.city)
		dst = append(dst, `,"countryCode":`...)
		dst = appendText(dst, &c.loc.code)
		dst = append(dst, `,"country":`...)
		dst = appendText(dst, &c.loc.country)
	}
	b := &browsers[r.intn(len(browsers))]
	dst = append(dst, `,"userAgent":`...)
	dst = appendText(dst, &b.ua)
	dst = append(dst, `,"platform":`...)
	dst = appendText(dst, &b.platform)
	dst = append(dst, `,"referer":`...)
	dst = appendText(dst, &referers[r.intn(len(referers))])
	dst = append(dst, `,"variables":`...)
	dst = appendVariables(dst, r)
	return append(dst, '}')
}

// appendVisitorName writes the visitor's name, "" or null.
func (c *chat) appendVisitorName(dst []byte) []byte {
	switch {
	case c.who != nil:
		return appendText(dst, &c.who.name)
	case c.nameNull:
		return append(dst, "null"...)
	default:
		return append(dst, `""`...)
	}
}

// appendMaybe writes null with probability nullPct, "" with emptyPct, and a
// phrase from pool otherwise: the three states optional strings take.
func appendMaybe(dst []byte, r *rng, nullPct, emptyPct int, pool []text) []byte {
	switch roll := r.intn(100); {
	case roll < nullPct:
		return append(dst, "null"...)
	case roll < nullPct+emptyPct:
		return append(dst, `""`...)
	default:
		return appendText(dst, &pool[r.intn(len(pool))])
	}
}

// appendIP writes a public-looking IPv4 address (first octet 2..223).
func appendIP(dst []byte, r *rng) []byte {
	dst = strconv.AppendInt(dst, int64(r.between(2, 223)), 10)
	for k := 0; k < 3; k++ {
		dst = append(dst, '.')
		dst = strconv.AppendInt(dst, int64(r.intn(256)), 10)
	}
	return dst
}

// appendVariables writes 0–4 distinct site variables with string or number
// values.
func appendVariables(dst []byte, r *rng) []byte {
	// A partial Fisher–Yates shuffle over indices keeps the keys distinct.
	var idx [len(variables)]uint8
	for k := range idx {
		idx[k] = uint8(k)
	}
	dst = append(dst, '{')
	n := r.between(0, 4)
	for k := 0; k < n; k++ {
		j := k + r.intn(len(idx)-k)
		idx[k], idx[j] = idx[j], idx[k]
		v := &variables[idx[k]]
		if k > 0 {
			dst = append(dst, ',')
		}
		dst = appendText(dst, &v.key)
		dst = append(dst, `:{"label":`...)
		dst = appendText(dst, &v.label)
		dst = append(dst, `,"value":`...)
		switch {
		case v.numeric:
			dst = strconv.AppendInt(dst, int64(r.between(1, 99_999)), 10)
		case v.choices != nil:
			dst = appendText(dst, &v.choices[r.intn(len(v.choices))])
		default:
			dst = append(dst, '"')
			dst = strconv.AppendInt(dst, int64(r.between(1, 999_999)), 10)
			dst = append(dst, '"')
		}
		dst = append(dst, '}')
	}
	return append(dst, '}')
}

// appendPaths writes 0–5 pages of the account's site.
func (c *chat) appendPaths(dst []byte, r *rng) []byte {
	dst = append(dst, `,"paths":[`...)
	// The smaller of two draws: most visitors see one or two pages.
	n := min(r.between(0, 5), r.between(0, 5))
	for k := 0; k < n; k++ {
		p := &c.acc.pages[r.intn(len(c.acc.pages))]
		if k > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"url":`...)
		dst = appendText(dst, &p.url)
		dst = append(dst, `,"title":`...)
		dst = appendText(dst, &p.title)
		dst = append(dst, '}')
	}
	return append(dst, ']')
}
