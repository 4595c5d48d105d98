package leak

import (
	"bytes"
	"regexp"
)

// The pattern rules that need a regular expression run it only on short
// windows around a cheap anchor, found by a hand scan: a value of many
// megabytes is searched at the speed of that scan, and the expressions
// read a few hundred bytes per anchor at most.

var reAddress = regexp.MustCompile(`(?i)\b(\d{1,6}(?:[ +][A-Za-z0-9.'#-]+){1,6}?[ +](?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|court|ct|way|place|pl|terrace|ter|parkway|pkwy|circle|cir|highway|hwy|trail|trl|square|sq)\.?(?:,|\b)[^\n]{0,80}?\b\d{5}(?:-\d{4})?)\b`)

// addressSuffixes are the words reAddress ends a street with, lower case.
var addressSuffixes = map[string]bool{
	"street": true, "st": true, "avenue": true, "ave": true, "road": true, "rd": true,
	"boulevard": true, "blvd": true, "drive": true, "dr": true, "lane": true, "ln": true,
	"court": true, "ct": true, "way": true, "place": true, "pl": true, "terrace": true,
	"ter": true, "parkway": true, "pkwy": true, "circle": true, "cir": true,
	"highway": true, "hwy": true, "trail": true, "trl": true, "square": true, "sq": true,
}

// Address windows reach back over a house number and six words, and
// forward over the 80 characters and the ZIP+4 reAddress allows after
// the suffix.
const (
	addressBack = 256
	addressFwd  = 128
)

func findAddresses(v []byte) []span {
	if countDigits(v) < 6 || !bytes.ContainsAny(v, " +") || !hasDigitRun(v, 5) {
		return nil
	}
	var out []span
	for _, w := range addressWindows(v) {
		for _, m := range reAddress.FindAllSubmatchIndex(v[w[0]:w[1]], -1) {
			a, b := w[0]+m[2], w[0]+m[3]
			out = append(out, span{value: string(v[a:b]), start: a, end: b})
		}
	}
	return out
}

// addressWindows returns disjoint ranges of v around each street-suffix
// word that follows a space or '+'. Each range starts and ends between
// tokens, so that the expression's \b never matches at a cut.
func addressWindows(v []byte) [][2]int {
	var ws [][2]int
	for i := 0; i < len(v); i++ {
		if v[i] != ' ' && v[i] != '+' {
			continue
		}
		end := suffixAt(v, i+1)
		if end < 0 {
			continue
		}
		lo, hi := max(0, i-addressBack), min(len(v), end+addressFwd)
		for lo > 0 && lo < i && isWordByte(v[lo-1]) && isWordByte(v[lo]) {
			lo++
		}
		for hi < len(v) && hi > end && isWordByte(v[hi-1]) && isWordByte(v[hi]) {
			hi--
		}
		if n := len(ws); n > 0 && lo <= ws[n-1][1] {
			ws[n-1][1] = max(ws[n-1][1], hi)
		} else {
			ws = append(ws, [2]int{lo, hi})
		}
		i = end - 1
	}
	return ws
}

// suffixAt returns the end of a street-suffix word starting at v[i] and
// standing alone (no letter, digit or '_' after it), or -1.
func suffixAt(v []byte, i int) int {
	var buf [9]byte
	j := i
	for j < len(v) && j-i < len(buf) && isLetter(v[j]) {
		buf[j-i] = v[j] | 0x20
		j++
	}
	if j == i || j < len(v) && isWordByte(v[j]) || !addressSuffixes[string(buf[:j-i])] {
		return -1
	}
	return j
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// isWordByte is the ASCII word class of \b: letters, digits and '_'.
func isWordByte(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' }

func isAlnumASCII(c byte) bool { return isLetter(c) || isDigit(c) }

// findUPS finds "1Z" and 16 capital letters or digits, standing alone,
// with a valid check digit.
func findUPS(v []byte) []span {
	var out []span
	for off := 0; ; {
		i := bytes.Index(v[off:], []byte("1Z"))
		if i < 0 {
			return out
		}
		a := off + i
		b := a + 18
		off = a + 1
		if b > len(v) || a > 0 && isAlnumASCII(v[a-1]) || b < len(v) && isAlnumASCII(v[b]) {
			continue
		}
		ok := true
		for _, c := range v[a+2 : b] {
			ok = ok && (isDigit(c) || isUpper(c))
		}
		if tn := string(v[a:b]); ok && upsValid(tn) {
			out = append(out, span{value: tn, start: a, end: b})
			off = b
		}
	}
}
