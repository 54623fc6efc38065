package redact

import (
	"bytes"
	"unicode/utf8"
)

// A name is found in text by its words, each in any of its forms: Czech and Slovak
// decline names ("Petr Svoboda" is "Petra Svobody", "Petrovi Svobodovi", "Petře",
// "paní Svobodová"), people write them without diacritics or in capitals ("NOVAKOVA"),
// Germans spell Müller as Mueller and Groß as Gross. Each word of a known name or place
// is registered as stems, each with the set of endings it may take: the word itself
// (with "", "s", and the Slavic endings when it ends in a consonant), the word minus
// its final vowel (Jan|a: Jan|y, Jan|ě, Jan|ou, Jan|o), the base of a female surname
// (Novák|ová: Novák|ovi), the stem without a fleeting e (Mar|e|k: Mark|a, Pav|e|l:
// Pavl|a) and the cheap consonant alternations before -e/-i (Pra|h|a: Pra|z|e, Mirk|a:
// Mirc|e). A word of the text matches when it is a stem plus one of its endings, whole:
// "Petra" matches Petr, "Petrolej" does not. Matching is one pass over the text: each
// word is folded once and looked up by its few possible stems (at most maxSuffix + 1).
//
// False positives are held back two ways. A stem shorter than three letters (Ev|a,
// Id|a) and a text word that is an everyday word (commonWords: "malá", "weiß", "will")
// only count next to another word of the same name ("Tereza Malá", "Evy Králové") or
// after an honorific ("paní Malá", "Herr Weiß"). And a place joined to other letters by
// '.', '/', '-', '_', '@' or '=' (the host kola-brno.cz) is left alone.

// suffixList are the endings a stem may take, folded; a registration's mask has bit i
// for suffixList[i].
var suffixList = [...]string{"", "s",
	"a", "e", "i", "o", "u", "y", "ou", "em", "om", "um", "ej", "ech", "ach", "ich", "ami",
	"ovi", "ove", "ova", "ovu", "ovou", "ovy", "ovo", "ovej", "ovic", "ovych", "ovym", "ovymi", "ovia",
	"uv", "uva", "uvo", "uvy", "ych", "ym", "ymi", "eho", "emu", "iho", "imu", "im",
	"in", "ina", "iny", "inu", "ino", "ine", "inou", "ini"}

// maxSuffix is the length of the longest ending.
const maxSuffix = 5

var suffixIndex = func() map[string]uint {
	m := make(map[string]uint, len(suffixList))
	for i, s := range suffixList {
		m[s] = uint(i)
	}
	return m
}()

func suffixMask(sufs ...string) uint64 {
	var m uint64
	for _, s := range sufs {
		m |= 1 << suffixIndex[s]
	}
	return m
}

var (
	sufPlain  = suffixMask("", "s")                          // the word as it is, and English/German -s
	sufSlavic = (uint64(1)<<len(suffixList) - 1) &^ sufPlain // every other ending
	sufFemale = suffixMask("in", "ina", "iny", "inu", "ino", "ine", "inou", "ini")
	sufCons   = sufPlain | sufSlavic&^sufFemale // a word ending in a consonant: Petr, Petra, Petrovi
	sufAlt    = suffixMask("e", "i")            // after an alternation: Praze, Mirce
)

// nameSet holds the words of known names and places and finds them in text.
type nameSet struct {
	stems  []byte // the stems, one after another
	regs   []nameReg
	vals   []nameVal
	repl   []byte           // the values' replacements, one after another
	index  map[string]int32 // stem → its first registration, once there are many
	prefix [64]uint64       // the stems' first two bytes, hashed
	cjk    []nameReg        // words of scripts without spaces, matched inside runs
	cjkBy  map[rune][]int32 // cjk by first character, once there are many
	word   []byte           // scratch of addValue
	word2  []byte
	alt    []byte // a stem being built
}

// nameScan is the scratch memory and the mode of scans with a nameSet: one per
// goroutine (the set itself is only read once built).
type nameScan struct {
	word, word2 []byte
	run         []byte // the folded words of the run being matched, space-separated
	noPlaces    bool   // the string is a URL or the site's text: places in it stay
	exact       bool   // the string is the site's text: names only as written ("Jane Austen" stays for Jana)
}

// nameReg is one stem of a value and the endings it takes.
type nameReg struct {
	s0, s1 int32 // the stem in stems
	next   int32 // the next registration of the same stem (index mode), -1 for none
	val    int32
	sufs   uint64
	weak   bool // counts only next to another word of the name or after an honorific
}

// nameVal is a known name or place: its replacement and its shape.
type nameVal struct {
	r0, r1 int32
	sh     shape
}

// indexFrom is the number of registrations from which lookups use a map.
const indexFrom = 64

// maxWordsPerValue bounds the words registered of one value.
const maxWordsPerValue = 8

func (ns *nameSet) reset() {
	ns.stems, ns.regs, ns.vals, ns.repl, ns.cjk = ns.stems[:0], ns.regs[:0], ns.vals[:0], ns.repl[:0], ns.cjk[:0]
	ns.cjkBy = nil
	ns.prefix = [64]uint64{}
	if ns.index != nil {
		clear(ns.index)
		ns.index = nil
	}
}

func (ns *nameSet) empty() bool { return len(ns.regs) == 0 && len(ns.cjk) == 0 }

func (ns *nameSet) stem(r *nameReg) []byte { return ns.stems[r.s0:r.s1] }

// replOf is the replacement of value v.
func (ns *nameSet) replOf(v int32) []byte { return ns.repl[ns.vals[v].r0:ns.vals[v].r1] }

// addValue registers the words of v, a name or place (shape sh) that becomes repl.
func (ns *nameSet) addValue(v, repl []byte, sh shape) {
	id := int32(len(ns.vals))
	r0 := int32(len(ns.repl))
	ns.repl = append(ns.repl, repl...)
	ns.vals = append(ns.vals, nameVal{r0: r0, r1: int32(len(ns.repl)), sh: sh})
	words := 0
	for i := 0; i < len(v) && words < maxWordsPerValue; {
		r, n := runeAt(v, i)
		switch {
		case noSpaceScript(r):
			j := i
			for j < len(v) {
				r, n := runeAt(v, j)
				if !noSpaceScript(r) {
					break
				}
				j += n
			}
			if utf8.RuneCount(v[i:j]) >= 2 {
				ns.addCJK(v[i:j], id)
				words++
			}
			i = j
		case wordStart(v, i):
			var end int
			ns.word, end = readWord(ns.word[:0], v, i, false)
			ns.word2, _ = readWord(ns.word2[:0], v, i, true)
			ns.addWord(ns.word, id)
			if !bytes.Equal(ns.word, ns.word2) {
				ns.addWord(ns.word2, id) // Müller as Muller too
			}
			words++
			i = end
		default:
			i += n
		}
	}
}

// addCJK registers w, a word of a script without spaces, of value id.
func (ns *nameSet) addCJK(w []byte, id int32) {
	ns.cjk = append(ns.cjk, ns.newReg(w, id, 0, false))
	switch {
	case ns.cjkBy != nil:
		r, _ := utf8.DecodeRune(w)
		ns.cjkBy[r] = append(ns.cjkBy[r], int32(len(ns.cjk)-1))
	case len(ns.cjk) > 16:
		ns.cjkBy = map[rune][]int32{}
		for k := range ns.cjk {
			r, _ := utf8.DecodeRune(ns.stem(&ns.cjk[k]))
			ns.cjkBy[r] = append(ns.cjkBy[r], int32(k))
		}
	}
}

// addWord registers the stems of the folded word w of value id.
func (ns *nameSet) addWord(w []byte, id int32) {
	n := utf8.RuneCount(w)
	if n < 2 {
		return // initials
	}
	last := w[len(w)-1]
	if !isAlnum(last) {
		ns.addReg(w, id, sufPlain, n < 3) // another alphabet: the word as it is
		return
	}
	if !bytes.ContainsRune([]byte("aeiouy"), rune(last)) {
		ns.addReg(w, id, sufCons, n < 3) // Petr, Novák, Brno's neighbours
		if n >= 4 && (bytes.HasSuffix(w, []byte("ek")) || bytes.HasSuffix(w, []byte("ec")) || bytes.HasSuffix(w, []byte("el"))) {
			ns.alt = append(append(ns.alt[:0], w[:len(w)-2]...), last) // Marek → Mark
			ns.addReg(ns.alt, id, sufSlavic, n-1 < 3)
		}
		return
	}
	ns.addReg(w, id, sufPlain, n < 3) // Emily, Emily's
	stem := w[:len(w)-1]
	sufs := sufSlavic
	if bytes.HasSuffix(w, []byte("ce")) {
		sufs |= suffixMask("") // Pardubice: z Pardubic
	}
	ns.addReg(stem, id, sufs, n-1 < 3) // Jan|a, Svobod|a, Brn|o
	if bytes.HasSuffix(w, []byte("ova")) && n >= 6 {
		ns.addReg(w[:len(w)-3], id, sufCons, false) // Novák|ová: Novák, Novákovi
	}
	cut, to := 1, byte(0)
	switch c := stem[len(stem)-1]; {
	case bytes.HasSuffix(stem, []byte("ch")):
		cut, to = 2, 's' // Bucha → Buše
	case c == 'h' || c == 'g':
		to = 'z' // Praha → Praze, Olga → Olze
	case c == 'k':
		to = 'c' // Mirka → Mirce
	}
	if to != 0 {
		ns.alt = append(append(ns.alt[:0], stem[:len(stem)-cut]...), to)
		ns.addReg(ns.alt, id, sufAlt, n-1 < 3)
	}
}

// addReg registers stem with the endings sufs; a stem already registered with the
// same endings keeps its first owner.
func (ns *nameSet) addReg(stem []byte, id int32, sufs uint64, weak bool) {
	if len(stem) < 2 {
		return
	}
	for k := ns.first(stem); k >= 0; k = ns.nextOf(k, stem) {
		if ns.regs[k].sufs == sufs {
			return
		}
	}
	ns.regs = append(ns.regs, ns.newReg(stem, id, sufs, weak))
	ns.prefix[prefixBit(stem)/64] |= 1 << (prefixBit(stem) % 64)
	switch k := int32(len(ns.regs) - 1); {
	case ns.index != nil:
		ns.link(k)
	case len(ns.regs) > indexFrom:
		ns.index = make(map[string]int32, 2*len(ns.regs))
		for j := range ns.regs {
			ns.link(int32(j))
		}
	}
}

func (ns *nameSet) newReg(stem []byte, id int32, sufs uint64, weak bool) nameReg {
	s0 := int32(len(ns.stems))
	ns.stems = append(ns.stems, stem...)
	return nameReg{s0: s0, s1: int32(len(ns.stems)), next: -1, val: id, sufs: sufs, weak: weak}
}

// link appends registration k to its stem's chain in the index.
func (ns *nameSet) link(k int32) {
	ns.regs[k].next = -1
	stem := ns.stem(&ns.regs[k])
	head, ok := ns.index[string(stem)]
	if !ok {
		ns.index[string(stem)] = k
		return
	}
	for ns.regs[head].next >= 0 {
		head = ns.regs[head].next
	}
	ns.regs[head].next = k
}

// first returns the first registration of stem, -1 for none.
func (ns *nameSet) first(stem []byte) int32 {
	if ns.index != nil {
		if k, ok := ns.index[string(stem)]; ok {
			return k
		}
		return -1
	}
	return ns.scan(0, stem)
}

// nextOf returns the registration of stem after k, -1 for none.
func (ns *nameSet) nextOf(k int32, stem []byte) int32 {
	if ns.index != nil {
		return ns.regs[k].next
	}
	return ns.scan(k+1, stem)
}

func (ns *nameSet) scan(from int32, stem []byte) int32 {
	for k := from; k < int32(len(ns.regs)); k++ {
		r := &ns.regs[k]
		if int(r.s1-r.s0) == len(stem) && bytes.Equal(ns.stem(r), stem) {
			return k
		}
	}
	return -1
}

// prefixBit is the bit of the prefix filter for a folded word.
func prefixBit(w []byte) uint { return (uint(w[0])*131 + uint(w[1])) % (64 * 64) }

// matchWord returns the value whose stem and ending the folded word w is, -1 for none,
// and whether the match is weak.
func (ns *nameSet) matchWord(sc *nameScan, w []byte) (int32, bool) {
	if len(w) < 2 {
		return -1, false
	}
	if b := prefixBit(w); ns.prefix[b/64]&(1<<(b%64)) == 0 {
		return -1, false
	}
	for k := 0; k <= maxSuffix && k <= len(w)-2 && (k <= 1 || !sc.exact); k++ {
		si, ok := suffixIndex[string(w[len(w)-k:])]
		if !ok {
			continue
		}
		stem := w[:len(w)-k]
		for j := ns.first(stem); j >= 0; j = ns.nextOf(j, stem) {
			if r := &ns.regs[j]; r.sufs&(1<<si) != 0 && (!sc.exact || (1<<si)&sufPlain != 0) {
				return r.val, r.weak || commonWords[string(w)]
			}
		}
	}
	return -1, false
}
