// Package plural writes counts of things for the commands' closing words.
package plural

import "strconv"

// Of writes n and a noun, with an s when n is not 1: "1 row", "3 rows".
func Of(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
