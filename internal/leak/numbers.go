package leak

import (
	"slices"
	"strings"
)

// findNumbers finds digit runs (digits may be grouped by single spaces or
// dashes, as tracking and card numbers are printed) and returns those
// that pass a check digit, each naming its rule. FedEx numbers count only
// when shipping is the context.
func findNumbers(v []byte, shipping func() bool) []span {
	var out []span
	var buf [34]byte
	for i := 0; i < len(v); {
		if v[i] < '0' || v[i] > '9' || i > 0 && class[v[i-1]]&cAlnum != 0 {
			i++
			continue
		}
		n, j := 0, i
		for j < len(v) {
			c := v[j]
			if c >= '0' && c <= '9' {
				if n < len(buf) {
					buf[n] = c
				}
				n++
				j++
				continue
			}
			if (c == ' ' || c == '-') && j+1 < len(v) && v[j+1] >= '0' && v[j+1] <= '9' && n < len(buf) {
				j++
				continue
			}
			break
		}
		if j < len(v) && class[v[j]]&cAlnum != 0 {
			i = j
			continue
		}
		if n >= 12 && n <= len(buf) {
			num := string(buf[:n])
			if rule := numberRule(num, shipping); rule != "" {
				out = append(out, span{rule: rule, value: num, start: i, end: j})
			}
		}
		i = j
	}
	return out
}

// numberRule names the first rule a digit string satisfies.
func numberRule(n string, shipping func() bool) string {
	switch {
	case impbValid(n):
		return "usps-impb"
	case fedexValid(n) && shipping():
		return "fedex"
	case cardValid(n):
		return "payment-card"
	}
	return ""
}

// mod10 is the GS1 check (USPS IMpb, FedEx Ground): from the right, the
// digits before the check weigh 3,1,3,1...; check = (10 - sum mod 10) mod 10.
func mod10(n string) bool {
	sum := 0
	for i, w := len(n)-2, 3; i >= 0; i-- {
		sum += int(n[i]-'0') * w
		w = 4 - w
	}
	return int(n[len(n)-1]-'0') == (10-sum%10)%10
}

// impbValid: 20-22 digits starting with 9, optionally after a 420<ZIP5>
// or 420<ZIP9> routing prefix, with a mod-10 check digit.
func impbValid(n string) bool {
	ok := func(s string) bool { return len(s) >= 20 && len(s) <= 22 && s[0] == '9' && mod10(s) }
	if ok(n) {
		return true
	}
	if strings.HasPrefix(n, "420") {
		return ok(n[min(8, len(n)):]) || len(n) > 12 && ok(n[12:])
	}
	return false
}

// fedexValid: 12 digits with the 1,3,7 weighted mod-11 check (Express),
// 15 or 20 digits with the mod-10 check (Ground, SSCC), 22 digits
// starting 96 whose last 15 digits pass the mod-10 check (Ground 96).
func fedexValid(n string) bool {
	switch len(n) {
	case 12:
		w := [3]int{1, 3, 7}
		sum := 0
		for i, k := 10, 0; i >= 0; i, k = i-1, k+1 {
			sum += int(n[i]-'0') * w[k%3]
		}
		return strings.Trim(n, "0") != "" && int(n[11]-'0') == sum%11%10
	case 15, 20:
		return mod10(n)
	case 22:
		return strings.HasPrefix(n, "96") && mod10(n[7:])
	}
	return false
}

// cardValid: 13-19 digits, a known issuer prefix, and the Luhn check.
func cardValid(n string) bool {
	if len(n) < 13 || len(n) > 19 || !knownIIN(n) {
		return false
	}
	sum := 0
	for i, dbl := len(n)-1, false; i >= 0; i, dbl = i-1, !dbl {
		d := int(n[i] - '0')
		if dbl {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0 && strings.Trim(n, n[:1]) != ""
}

func knownIIN(n string) bool { return cardNetwork(n) != "" }

// cardNetworks are issuer prefix ranges (IIN) with the lengths each
// network issues, first match wins.
var cardNetworks = []struct {
	name         string
	digits       int // prefix length compared
	lo, hi       int // prefix range
	minLen, maxL int
	lens         []int // exact lengths, when not a range
}{
	{"Visa", 1, 4, 4, 0, 0, []int{13, 16, 19}},
	{"Mastercard", 2, 51, 55, 16, 16, nil},
	{"Mastercard", 4, 2221, 2720, 16, 16, nil},
	{"American Express", 2, 34, 34, 15, 15, nil},
	{"American Express", 2, 37, 37, 15, 15, nil},
	{"Discover", 4, 6011, 6011, 16, 19, nil},
	{"Discover", 2, 65, 65, 16, 19, nil},
	{"Discover", 3, 644, 649, 16, 19, nil},
	{"JCB", 4, 3528, 3589, 16, 19, nil},
	{"Diners Club", 2, 36, 36, 14, 19, nil},
	{"Diners Club", 2, 38, 39, 16, 19, nil},
	{"Diners Club", 3, 300, 305, 14, 19, nil},
	{"UnionPay", 2, 62, 62, 16, 19, nil},
}

// cardNetwork names the network whose prefix and length n has, or "".
func cardNetwork(n string) string {
	for _, c := range cardNetworks {
		p := atoiN(n, c.digits)
		if p < c.lo || p > c.hi {
			continue
		}
		if c.lens != nil && slices.Contains(c.lens, len(n)) || c.lens == nil && len(n) >= c.minLen && len(n) <= c.maxL {
			return c.name
		}
		return ""
	}
	return ""
}

func atoiN(s string, n int) int {
	v := 0
	for i := 0; i < n && i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}
