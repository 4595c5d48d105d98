package leak

import "strings"

// findNumbers finds digit runs (digits may be grouped by single spaces or
// dashes, as tracking and card numbers are printed) and returns
// [rule, value] pairs for those that pass a check digit. FedEx numbers
// count only when shipping is the context.
func findNumbers(v []byte, shipping func() bool) [][2]string {
	var out [][2]string
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
				out = append(out, [2]string{rule, num})
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

func knownIIN(n string) bool {
	p2 := atoiN(n, 2)
	p3 := atoiN(n, 3)
	p4 := atoiN(n, 4)
	l := len(n)
	switch {
	case n[0] == '4':
		return l == 13 || l == 16 || l == 19 // Visa
	case p2 >= 51 && p2 <= 55 || p4 >= 2221 && p4 <= 2720:
		return l == 16 // Mastercard
	case p2 == 34 || p2 == 37:
		return l == 15 // American Express
	case p4 == 6011 || p2 == 65 || p3 >= 644 && p3 <= 649:
		return l >= 16 // Discover
	case p4 >= 3528 && p4 <= 3589:
		return l >= 16 // JCB
	case p2 == 36 || p2 == 38 || p2 == 39 || p3 >= 300 && p3 <= 305:
		return l >= 14 // Diners Club
	case p2 == 62:
		return l >= 16 // UnionPay
	}
	return false
}

func atoiN(s string, n int) int {
	v := 0
	for i := 0; i < n && i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}
