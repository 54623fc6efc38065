package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Words of names and places are compared folded: lower case, without diacritics
// (Nováková, NOVAKOVA and novakova are one word), German umlauts as two letters
// (Müller and Mueller; ß as ss, so Groß and Gross), apostrophes inside a word left
// out (O'Brien is obrien; the s of O'Brien's is no part of the name).

// foldTab maps lower-case Latin letters with diacritics to their base letters.
var foldTab = func() [0x250]string {
	var t [0x250]string
	for _, row := range strings.Fields("àáâãåāăą:a çćĉċč:c ďđ:d èéêëēĕėęě:e ĝğġģ:g ĥħ:h ìíîïĩīĭįı:i ĵ:j ķ:k " +
		"ĺļľŀł:l ñńņňŉ:n òóôõøōŏő:o ŕŗř:r śŝşšș:s ţťŧț:t ùúûũūŭůűų:u ŵ:w ýÿŷ:y źżž:z " +
		"ä:ae ö:oe ü:ue ß:ss æ:ae œ:oe ð:d þ:th") {
		from, to, _ := strings.Cut(row, ":")
		for _, r := range from {
			t[r] = to
		}
	}
	return t
}()

// appendFold appends r folded. base folds the umlauts ä, ö and ü to one letter (a name
// written Muller for Müller).
func appendFold(dst []byte, r rune, base bool) []byte {
	if r < utf8.RuneSelf {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, byte(r))
	}
	r = unicode.ToLower(r)
	if int(r) < len(foldTab) && foldTab[r] != "" {
		if base && (r == 'ä' || r == 'ö' || r == 'ü') {
			return append(dst, foldTab[r][0])
		}
		return append(dst, foldTab[r]...)
	}
	if unicode.Is(unicode.Mn, r) {
		return dst // a combining accent (text in decomposed form)
	}
	return utf8.AppendRune(dst, r)
}

// isWordRune reports a letter, digit or combining mark.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isAlnum(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isAlnum(c byte) bool { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z') }

// runeAt decodes the rune at i, ASCII without a call.
func runeAt(s []byte, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRune(s[i:])
}

// runeBefore decodes the rune that ends at i.
func runeBefore(s []byte, i int) rune {
	if c := s[i-1]; c < utf8.RuneSelf {
		return rune(c)
	}
	r, _ := utf8.DecodeLastRune(s[:i])
	return r
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// wordStart reports whether a word (a run of letters, digits and marks, apostrophes
// between letters included) starts at i.
func wordStart(s []byte, i int) bool {
	c := s[i]
	if c < utf8.RuneSelf {
		if !isAlnum(c) {
			return false
		}
	} else if c < 0xC0 {
		return false // inside a character
	} else if r, _ := utf8.DecodeRune(s[i:]); !isWordRune(r) {
		return false
	}
	if i == 0 {
		return true
	}
	p := runeBefore(s, i)
	if isApostrophe(p) {
		n := utf8.RuneLen(p)
		return i-n == 0 || !isWordRune(runeBefore(s, i-n))
	}
	return !isWordRune(p)
}

// readWord appends the folded word that starts at i to dst and returns it with the
// word's end.
func readWord(dst, s []byte, i int, base bool) ([]byte, int) {
	return foldWord(dst, s, i, base, len(s)*4)
}

// foldWord is readWord that stops folding once dst has grown by limit bytes (the
// word's end is still found).
func foldWord(dst, s []byte, i int, base bool, limit int) ([]byte, int) {
	limit += len(dst)
	for start := i; i < len(s); {
		r, n := runeAt(s, i)
		if isApostrophe(r) && inWordApostrophe(s, start, i, n) {
			i += n // O'Brien
			continue
		}
		if !isWordRune(r) {
			break
		}
		if len(dst) < limit {
			dst = appendFold(dst, r, base)
		}
		i += n
	}
	return dst, i
}

// inWordApostrophe reports whether the word that started at start goes on after the
// apostrophe at i (n bytes): O'Brien, but not Dusan's, whose name is Dusan.
func inWordApostrophe(s []byte, start, i, n int) bool {
	if i == start || i+n >= len(s) || possessive(s, i+n) {
		return false
	}
	next, _ := runeAt(s, i+n)
	return isWordRune(next)
}

// possessive reports an English possessive s at i (after an apostrophe).
func possessive(s []byte, i int) bool {
	if s[i]|0x20 != 's' {
		return false
	}
	if i+1 == len(s) {
		return true
	}
	r, _ := runeAt(s, i+1)
	return !isWordRune(r)
}

// noSpaceScript reports a character of a script written without spaces between words
// (Chinese, Japanese, Thai...): names in it are found inside longer runs of letters.
func noSpaceScript(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
}

// wordSet is a set of folded words.
type wordSet map[string]bool

func mkWordSet(words string) wordSet {
	s := wordSet{}
	for _, w := range strings.Fields(words) {
		s[w] = true
	}
	return s
}

// honorifics are words that stand before a name (folded): a name word that is also a
// common word ("paní Malá", "Herr Weiß") is taken after one of them.
var honorifics = mkWordSet(`pan pana panu pane panem pani panovi panom slecna slecny slecne slecnu slecno slecnou
	ing mgr bc mudr judr phdr rndr doc prof dr mr mrs ms miss mister sir madam madame herr herrn frau fraulein`)

// commonWords are everyday words that are also names or places, or forms of them
// (folded). Such a word is taken for a name only next to another word of the same
// name ("Tereza Malá", "New York") or after an honorific, never alone: "malá chyba",
// "ich weiß", "I will" stay.
var commonWords = mkWordSet(`
	a an and the of for to in on at by as is it be are was were will would may might can could shall should must
	i me my we us our you your he him his she her they them their this that these those there here what who when
	not no yes all any one two new old big small little long short good best great young king queen rose hope
	grace joy faith mark bill frank rich drew chase hunter will may june april august summer autumn winter
	white black brown green gray grey red blue gold silver stone wood hill lane park field bell cook page
	love sunny dawn ray guy max art sky star river moore man men van von der den des die das und ein eine
	ich du er sie wir ihr mit bei aus auf fur vor nach wie was wer wo gut neu alt jung weiss gross klein lang kurz
	braun schwarz koch bauer wolf fuchs vogel hahn kaiser konig berg bach hof ende hand hoch mann frau herr
	ja nein bitte danke hallo
	a i o u v z s k ze ve na do od po pro pri pod nad za ze je jsem jsi jste jsou byl byla bylo
	ten ta to ty ti tu tom tak jak kde kdy kdo co ano ne ale nebo jen uz jiz jeste mam mate ma muze muzu
	den dne dni dnes noc rok let pan pani mala maly male malo malou maleho malemu malym mali
	nova novy nove novou noveho novemu novym novi cerna cerny cerne cernou cerneho
	bila bily bile bilou vesela vesely vesele veselou dobra dobry dobre dobro dobrou dobreho
	stara stary stare starou mlada mlady mlade mladou kral krale krali kralem kralove
	horna horny horne hornej hore dole
	most mostu mosty les lesa pole
	`)
