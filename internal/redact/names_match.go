package redact

import (
	"bytes"
	"unicode/utf8"
)

// match finds the run of name words that starts with the word at i and ends by limit:
// words of one value next to each other, separated by blanks or a hyphen ("Petra
// Svobody", "Frýdku-Místku"), which becomes one replacement. It returns the run's end
// and value, or the end of the word at i and -1.
func (ns *nameSet) match(sc *nameScan, s []byte, i, limit int) (int, int32) {
	if end, maybe := ns.peekWord(s, i); !maybe {
		return end, -1 // most words: two letters tell
	}
	var e int
	sc.word, e = readWord(sc.word[:0], s, i, false)
	v, weak := ns.matchWord(sc, sc.word)
	if v < 0 || e > limit {
		return e, -1
	}
	end, words, strong := e, 1, !weak
	sc.run = append(sc.run[:0], sc.word...)
	for {
		j := gapAfter(s, end)
		if j == end || j >= min(limit, len(s)) || !wordStart(s, j) {
			break
		}
		var e2 int
		sc.word2, e2 = readWord(sc.word2[:0], s, j, false)
		v2, weak2 := ns.matchWord(sc, sc.word2)
		if v2 != v || e2 > limit || (weak2 && sc.inRun(sc.word2)) {
			break // "Will Smith will call": a name does not repeat its everyday word
		}
		sc.run = append(append(sc.run, ' '), sc.word2...)
		end, words, strong = e2, words+1, strong || !weak2
	}
	if !strong && words < 2 && !sc.honorificBefore(s, i) {
		return e, -1
	}
	if ns.vals[v].sh == shPlace && (sc.noPlaces || joined(s, i, end)) {
		return e, -1
	}
	return end, v
}

// gapAfter skips what may stand between two words of one name: up to three blanks, or
// one hyphen.
func gapAfter(s []byte, i int) int {
	if i < len(s) && s[i] == '-' {
		return i + 1
	}
	j := i
	for j < len(s) && j-i < 6 {
		switch {
		case s[j] == ' ' || s[j] == '\t':
			j++
		case s[j] == 0xC2 && j+1 < len(s) && s[j+1] == 0xA0: // no-break space
			j += 2
		default:
			return j
		}
	}
	return j
}

// honorificBefore reports whether the word before i (a full stop after it allowed) is
// an honorific: pan, paní, Herr, Mrs., Ing.
func (sc *nameScan) honorificBefore(s []byte, i int) bool {
	j := i
	for j > 0 && (s[j-1] == ' ' || s[j-1] == '\t') {
		j--
	}
	if j == i {
		return false
	}
	if j > 0 && s[j-1] == '.' {
		j--
	}
	k := j
	for k > 0 && j-k < 24 {
		r := runeBefore(s, k)
		if !isWordRune(r) {
			break
		}
		k -= utf8.RuneLen(r)
	}
	if k == j || !wordStart(s, k) {
		return false
	}
	sc.word2, _ = readWord(sc.word2[:0], s, k, false)
	return honorifics[string(sc.word2)]
}

// joined reports a word that other letters join through '.', '/', '-', '_', '@', '='
// or ':': a host name, a path, a parameter.
func joined(s []byte, a, b int) bool {
	const glue = "./-_@=:"
	if a > 1 && bytes.IndexByte([]byte(glue), s[a-1]) >= 0 && isWordRune(runeBefore(s, a-1)) {
		return true
	}
	if b+1 < len(s) && bytes.IndexByte([]byte(glue), s[b]) >= 0 {
		r, _ := runeAt(s, b+1)
		return isWordRune(r)
	}
	return false
}

// matchCJK returns the end and value of a word of a script without spaces at i, -1
// for none.
func (ns *nameSet) matchCJK(sc *nameScan, s []byte, i int) (int, int32) {
	if ns.cjkBy != nil {
		c, _ := utf8.DecodeRune(s[i:])
		for _, k := range ns.cjkBy[c] {
			if end, v := ns.cjkAt(sc, s, i, k); v >= 0 {
				return end, v
			}
		}
		return i, -1
	}
	for k := range ns.cjk {
		if end, v := ns.cjkAt(sc, s, i, int32(k)); v >= 0 {
			return end, v
		}
	}
	return i, -1
}

// cjkAt returns the end and value of cjk word k when it stands at i, -1 for none.
func (ns *nameSet) cjkAt(sc *nameScan, s []byte, i int, k int32) (int, int32) {
	r := &ns.cjk[k]
	w := ns.stem(r)
	if !bytes.HasPrefix(s[i:], w) || (ns.vals[r.val].sh == shPlace && sc.noPlaces) {
		return i, -1
	}
	return i + len(w), r.val
}

// whole returns the replacement of v when v (blanks around it aside) is one run of a
// known name or place, such as "Petra" or "Svobodová" alone in a field.
func (ns *nameSet) whole(sc *nameScan, v []byte) ([]byte, bool) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || ns.empty() {
		return nil, false
	}
	var end int
	var val int32 = -1
	// A field is read whole, whatever the last text scanned was.
	noPlaces, exact := sc.noPlaces, sc.exact
	sc.noPlaces, sc.exact = false, false
	defer func() { sc.noPlaces, sc.exact = noPlaces, exact }()
	if r, _ := runeAt(v, 0); noSpaceScript(r) {
		end, val = ns.matchCJK(sc, v, 0)
	} else if wordStart(v, 0) {
		end, val = ns.match(sc, v, 0, len(v))
	}
	if val < 0 || end != len(v) {
		return nil, false
	}
	return ns.replOf(val), true
}

// inRun reports whether the folded word w is already a word of the run being matched.
func (sc *nameScan) inRun(w []byte) bool {
	for _, r := range bytes.Split(sc.run, []byte{' '}) {
		if bytes.Equal(r, w) {
			return true
		}
	}
	return false
}

// peekWord returns the end of the word at i and whether it may be a known one: whether
// some stem starts with its first two letters, folded.
func (ns *nameSet) peekWord(s []byte, i int) (int, bool) {
	if i+1 < len(s) && isAlnum(s[i]) && isAlnum(s[i+1]) {
		// ASCII: no decoding unless the word goes on in another script.
		if b := prefixBit([]byte{fold(s[i]), fold(s[i+1])}); ns.prefix[b/64]&(1<<(b%64)) == 0 {
			j := i + 2
			for j < len(s) && isAlnum(s[j]) {
				j++
			}
			if j == len(s) || (s[j] < utf8.RuneSelf && s[j] != '\'') {
				return j, false
			}
		}
	}
	var buf [16]byte
	w, j := foldWord(buf[:0], s, i, false, 2)
	if len(w) < 2 {
		return j, false
	}
	b := prefixBit(w)
	return j, ns.prefix[b/64]&(1<<(b%64)) != 0
}
