package redact

import (
	"strings"

	"github.com/smarthook/smarthook/internal/progress"
)

// Counts are the values a redaction replaced, by kind: a whole field or a stretch of
// free text each count once.
type Counts [numCountKinds]int64

// The kinds of replaced values, in the order the summary names them.
const (
	countName = iota
	countEmail
	countPhone
	countIP
	countText
	countOther // user agents, variables, places, URLs, page titles, visitor keys, numbers
	numCountKinds
)

// countNouns name the kinds, one and many.
var countNouns = [numCountKinds][2]string{{"name", "names"}, {"e-mail address", "e-mail addresses"},
	{"phone number", "phone numbers"}, {"IP address", "IP addresses"}, {"text", "texts"}, {"other value", "other values"}}

// countKind is the kind a value of shape sh counts as.
func countKind(sh shape) int {
	switch sh {
	case shName:
		return countName
	case shEmail:
		return countEmail
	case shPhone:
		return countPhone
	case shIP:
		return countIP
	case shText:
		return countText
	}
	return countOther
}

// spanShape is the shape of an address or number found in free text.
func spanShape(k spanKind) shape {
	switch k {
	case spanEmail:
		return shEmail
	case spanPhone:
		return shPhone
	case spanIP:
		return shIP
	}
	return shNone
}

// count notes one replaced value of shape sh (shNone: a value kept as it is).
func (c *Counts) count(sh shape) {
	if c != nil && sh != shNone {
		c[countKind(sh)]++
	}
}

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	for k, n := range o {
		c[k] += n
	}
}

// Total is the number of values replaced.
func (c Counts) Total() int64 {
	var n int64
	for _, v := range c {
		n += v
	}
	return n
}

// String names the counts of each kind: "2 names, 1 e-mail address, 5 texts";
// "no values" when none was replaced.
func (c Counts) String() string {
	var parts []string
	for k, n := range c {
		switch {
		case n == 1:
			parts = append(parts, "1 "+countNouns[k][0])
		case n > 1:
			parts = append(parts, progress.Count(n)+" "+countNouns[k][1])
		}
	}
	if len(parts) == 0 {
		return "no values"
	}
	return strings.Join(parts, ", ")
}
