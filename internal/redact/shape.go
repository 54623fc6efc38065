package redact

import (
	"bytes"
	"encoding/hex"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// tagLen is the length of a pseudonym's tag in hex digits: 40 bits, so that ten
// thousand distinct values are unlikely to share one (p ≈ 5e-5).
const tagLen = 10

// Classes of values, mixed into the HMAC so that a name and a note with the same text
// get unrelated tags. Names of visitors and contacts share a class (and e-mail
// addresses theirs), so one person keeps one pseudonym across hooks and webhooks.
const (
	clName    = 'n'
	clEmail   = 'e'
	clIP      = 'i'
	clText    = 't'
	clAgent   = 'u'
	clVar     = 'v'
	clPlace   = 'p'
	clURL     = 'l'
	clTitle   = 'h'
	clKey     = 'k'
	clDigits  = 'd'
	clNumbers = '#'
	clPhone   = 'f'
)

// replacement returns the raw JSON that takes the place of the value raw (a string
// with its quotes, or a number), and false to keep the value.
func (st *state) replacement(sh shape, k jsontext.Kind, raw []byte) ([]byte, bool) {
	if k == jsontext.Number {
		if sh == shFromVisitor {
			return nil, false // an agent's id
		}
		st.out = st.scramble(st.out[:0], clNumbers, raw, raw, true)
		st.counts.count(sh)
		return st.out, true
	}
	inner := raw[1 : len(raw)-1]
	st.txt = st.txt[:0]
	if bytes.IndexByte(inner, '\\') >= 0 {
		st.txt = jsontext.AppendUnquoted(st.txt, inner)
	} else {
		st.txt = append(st.txt, inner...)
	}
	// A field that holds a known value whole gets that value's pseudonym: one value,
	// one pseudonym in the document (a variable holding the visitor's name reads as
	// visitor.name does), and the name on each of the visitor's messages costs no HMAC.
	if repl, ok := st.vals.known(st.txt); ok && sh != shURL {
		st.out = appendQuoted(st.out[:0], repl)
		st.counts.count(sh)
		return st.out, true
	}
	plain, ok := st.pseudonym(st.plain[:0], sh, st.txt)
	if !ok {
		return nil, false
	}
	st.plain = plain
	st.out = appendQuoted(st.out[:0], plain)
	st.counts.count(sh)
	return st.out, true
}

// pseudonym appends the pseudonym of the text v in shape sh.
func (st *state) pseudonym(dst []byte, sh shape, v []byte) ([]byte, bool) {
	switch sh {
	case shName:
		return st.tag(append(dst, "Visitor "...), clName, v), true
	case shEmail:
		return st.email(dst, v), true
	case shIP:
		return st.ipList(dst, v), true
	case shText:
		n := utf8.RuneCount(v)
		dst = append(dst, "[redacted "...)
		dst = strconv.AppendInt(dst, int64(n), 10)
		if n == 1 {
			dst = append(dst, " char "...)
		} else {
			dst = append(dst, " chars "...)
		}
		return append(st.tag(dst, clText, v), ']'), true
	case shUserAgent:
		return append(st.tag(append(dst, "Mozilla/5.0 (redacted "...), clAgent, v), ')'), true
	case shVariable:
		return st.variable(dst, v), true
	case shPlace:
		return st.tag(append(dst, "Place "...), clPlace, v), true
	case shURL:
		return st.url(dst, v), true
	case shTitle:
		return st.tag(append(dst, "Page "...), clTitle, v), true
	case shPhone:
		return st.phone(dst, v), true
	case shVisitorKey, shFromVisitor:
		rest, prefixed := bytes.CutPrefix(v, []byte("visitor:"))
		if prefixed {
			dst = append(dst, "visitor:"...)
		} else if sh == shFromVisitor {
			return nil, false // "agent:3", "system"
		}
		return st.tag(dst, clKey, rest), true
	}
	return nil, false
}

// digest sets st.sum to the HMAC of the class, a block counter (after the first
// block) and the value, and returns it.
func (st *state) digest(class byte, block int, v []byte) []byte {
	st.mac.Reset()
	st.head = append(st.head[:0], class)
	if block > 0 {
		st.head = append(strconv.AppendInt(st.head, int64(block), 10), 0)
	}
	st.mac.Write(st.head)
	st.mac.Write(v)
	st.sum = st.mac.Sum(st.sum[:0])
	return st.sum
}

// tag appends the hex tag of v in class.
func (st *state) tag(dst []byte, class byte, v []byte) []byte {
	sum := st.digest(class, 0, v)
	return hex.AppendEncode(dst, sum[:tagLen/2])
}

// email appends visitor-<tag>@example.invalid. Addresses differing in case or in
// surrounding blanks are one address.
func (st *state) email(dst []byte, v []byte) []byte {
	norm := bytes.ToLower(bytes.TrimSpace(v))
	dst = append(dst, "visitor-"...)
	dst = st.tag(dst, clEmail, norm)
	return append(dst, "@example.invalid"...)
}

// phone appends phone-<tag>. Numbers written with other spaces or dashes are one
// number: only the digits count.
func (st *state) phone(dst []byte, v []byte) []byte {
	st.head2 = st.head2[:0]
	for _, c := range v {
		if isDigit(c) {
			st.head2 = append(st.head2, c)
		}
	}
	return st.tag(append(dst, "phone-"...), clPhone, st.head2)
}

// ipList appends an address of the documentation ranges for each comma-separated
// address of v (a proxy chain "a, b" keeps its form).
func (st *state) ipList(dst []byte, v []byte) []byte {
	for i, part := range bytes.Split(v, []byte(",")) {
		if i > 0 {
			dst = append(dst, ',')
		}
		core := bytes.TrimSpace(part)
		if len(core) == 0 {
			dst = append(dst, part...)
			continue
		}
		lead := bytes.Index(part, core)
		dst = append(dst, part[:lead]...)
		dst = st.ip(dst, core)
		dst = append(dst, part[lead+len(core):]...)
	}
	return dst
}

// ip appends 192.0.2.1-254 for an IPv4 address (and for text that is no address) and
// an address of 2001:db8::/32 for an IPv6 one.
func (st *state) ip(dst []byte, v []byte) []byte {
	key := v
	six := bytes.IndexByte(v, ':') >= 0
	if a, err := netip.ParseAddr(string(v)); err == nil {
		a = a.Unmap()
		key = []byte(a.String()) // one address, one pseudonym, however it is written
		six = a.Is6()
	}
	sum := st.digest(clIP, 0, key)
	if !six {
		return netip.AddrFrom4([4]byte{192, 0, 2, 1 + sum[0]%254}).AppendTo(dst)
	}
	var a [16]byte
	a[0], a[1], a[2], a[3] = 0x20, 0x01, 0x0d, 0xb8
	copy(a[4:], sum[:12])
	return netip.AddrFrom16(a).AppendTo(dst)
}

// variable appends the pseudonym of a visitor variable's string value: digits stay
// digits (as many), an e-mail address an address, anything else value-<tag>.
func (st *state) variable(dst []byte, v []byte) []byte {
	switch {
	case allDigits(v):
		return st.scramble(dst, clDigits, v, v, false)
	case looksLikeEmail(v):
		return st.email(dst, v)
	}
	return st.tag(append(dst, "value-"...), clVar, v)
}

func allDigits(v []byte) bool {
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(v) > 0
}

func looksLikeEmail(v []byte) bool {
	s := strings.TrimSpace(string(v))
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.IndexByte(s[at:], '.') > 1 && !strings.ContainsAny(s, " \t\n<>")
}

// url appends scheme://host/p-<tag>: the site stays, its path and query (which may
// carry an address or a name) go.
func (st *state) url(dst []byte, v []byte) []byte {
	u, err := url.Parse(strings.TrimSpace(string(v)))
	if err == nil && u.Scheme != "" && u.Host != "" {
		dst = append(dst, u.Scheme...)
		dst = append(dst, "://"...)
		dst = append(dst, u.Host...)
	} else {
		dst = append(dst, "https://example.invalid"...)
	}
	return st.tag(append(dst, "/p-"...), clURL, v)
}

// scramble appends lit with its digits replaced by digits drawn from the HMAC of
// key: signs, points and exponents stay, and so does the number of digits. In a JSON
// number (number true) the exponent stays too (so the value keeps its magnitude and
// never overflows) and an integer part of several digits keeps a leading non-zero.
func (st *state) scramble(dst []byte, class byte, key, lit []byte, number bool) []byte {
	pool := st.digest(class, 0, key)
	used, block := 0, 0
	draw := func() byte {
		if used == len(pool) {
			block++
			pool = st.digest(class, block, key)
			used = 0
		}
		used++
		return pool[used-1]
	}
	intStart, intLen := 0, 0
	if len(lit) > 0 && lit[0] == '-' {
		intStart = 1
	}
	for intStart+intLen < len(lit) && lit[intStart+intLen] >= '0' && lit[intStart+intLen] <= '9' {
		intLen++
	}
	exp := false
	for i, c := range lit {
		switch {
		case c == 'e' || c == 'E':
			exp = true
			dst = append(dst, c)
		case c < '0' || c > '9' || (exp && number):
			dst = append(dst, c)
		case i == intStart && intLen > 1 && (number || c != '0'):
			dst = append(dst, '1'+draw()%9)
		default:
			dst = append(dst, '0'+draw()%10)
		}
	}
	return dst
}

// appendQuoted appends the text v (valid UTF-8) as a JSON string.
func appendQuoted(dst, v []byte) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	for _, c := range v {
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}
