package redact

import (
	"net/netip"
)

// spanKind is what a stretch of free text looks like.
type spanKind uint8

const (
	spanNone  spanKind = iota
	spanEmail          // local@domain.tld
	spanPhone          // +420 777 123 456, (555) 123-4567, 777123456
	spanIP             // 203.0.113.9, 2a00:1450::1
)

func (k spanKind) String() string {
	switch k {
	case spanEmail:
		return "an e-mail address"
	case spanPhone:
		return "a phone number"
	case spanIP:
		return "an IP address"
	}
	return "a value"
}

// Phone numbers have between minPhoneDigits and maxPhoneDigits digits (E.164 allows
// 15); fewer than 9 would take order numbers, dates and prices.
const (
	minPhoneDigits = 9
	maxPhoneDigits = 15
)

// nextSpan finds the first e-mail address, phone number or IP address in s at or after
// from. It returns its kind and bounds, spanNone when there is none. It only looks
// closer at bytes that can start one ('@', a digit, '+', '(' or a hex digit before
// ':'), so plain text costs one pass.
func nextSpan(s []byte, from int) (spanKind, int, int) {
	for i := from; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '@':
			if a, b, ok := emailAround(s, i); ok {
				return spanEmail, a, b
			}
		case isDigit(c) || c == '+' || c == '(' || (c == ':' && i+1 < len(s) && s[i+1] == ':'):
			if i > 0 && (isWordByte(s[i-1]) || s[i-1] == '.' || s[i-1] == ':') {
				continue // inside a word, a number or an address already passed
			}
			if b, ok := ipAt(s, i); ok {
				return spanIP, i, b
			}
			if b, ok := phoneAt(s, i); ok {
				return spanPhone, i, b
			}
		case isHex(c) && (i == 0 || !isWordByte(s[i-1])):
			if b, ok := ipAt(s, i); ok {
				return spanIP, i, b
			}
		}
	}
	return spanNone, 0, 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// isWordByte reports an ASCII letter or digit, or any byte of a multi-byte character
// (letters of other scripts count as letters).
func isWordByte(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z') || c == '_' || c >= 0x80
}

func isLocalByte(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z') || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

func isDomainByte(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z') || c == '.' || c == '-' || c >= 0x80
}

// emailAround finds the address whose '@' is at at.
func emailAround(s []byte, at int) (int, int, bool) {
	a := at
	for a > 0 && isLocalByte(s[a-1]) {
		a--
	}
	for a < at && s[a] == '.' {
		a++
	}
	b := at + 1
	for b < len(s) && isDomainByte(s[b]) {
		b++
	}
	for b > at+1 && (s[b-1] == '.' || s[b-1] == '-') {
		b-- // the full stop that ends a sentence
	}
	if a == at || b == at+1 {
		return 0, 0, false
	}
	dot := -1
	for k := at + 1; k < b; k++ {
		if s[k] == '.' {
			dot = k
		}
	}
	if dot < 0 || dot == at+1 || b-dot < 3 {
		return 0, 0, false
	}
	return a, b, true
}

// phoneAt reads a phone number starting at i: an optional '+', then digits in groups
// separated by one space, '-', '.', '/' or parentheses, 9 to 15 digits in all, not
// followed by a letter, a digit or ':' (a time).
func phoneAt(s []byte, i int) (int, bool) {
	j, digits, lastDigit := i, 0, -1
	if s[j] == '+' {
		j++
	}
	sep := false
	for ; j < len(s); j++ {
		c := s[j]
		switch {
		case isDigit(c):
			digits++
			lastDigit = j
			sep = false
		case (c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')') && !sep:
			sep = c != '(' && c != ')'
		default:
			goto done
		}
		if digits > maxPhoneDigits {
			return 0, false
		}
	}
done:
	if digits < minPhoneDigits {
		return 0, false
	}
	end := lastDigit + 1
	if end < len(s) && (isWordByte(s[end]) || s[end] == ':' || (s[end] == '.' && end+1 < len(s) && isDigit(s[end+1]))) {
		return 0, false
	}
	return end, true
}

// ipAt reads an IPv4 or IPv6 address starting at i.
func ipAt(s []byte, i int) (int, bool) {
	j := i
	colons := 0
	for j < len(s) && (isHex(s[j]) || s[j] == '.' || s[j] == ':') {
		if s[j] == ':' {
			colons++
		}
		j++
	}
	for j > i && (s[j-1] == '.' || s[j-1] == ':') {
		j-- // punctuation that ends a sentence
	}
	if j-i < 7 || (j < len(s) && isWordByte(s[j])) {
		return 0, false
	}
	if colons > 0 && colons < 2 {
		return 0, false // a time or a ratio
	}
	a, err := netip.ParseAddr(string(s[i:j]))
	if err != nil {
		return 0, false
	}
	if a.Is6() && !a.Is4In6() && a.Unmap().Is6() && colons < 2 {
		return 0, false
	}
	return j, true
}

// isPseudonymIP reports an address of the ranges pseudonyms use (192.0.2.0/24,
// 2001:db8::/32): those are what redaction wrote, not what a visitor had.
func isPseudonymIP(s []byte) bool {
	a, err := netip.ParseAddr(string(s))
	if err != nil {
		return false
	}
	a = a.Unmap()
	return docNet4.Contains(a) || docNet6.Contains(a)
}

var (
	docNet4 = netip.MustParsePrefix("192.0.2.0/24")
	docNet6 = netip.MustParsePrefix("2001:db8::/32")
)
