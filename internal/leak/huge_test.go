package leak

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// randomText is n bytes drawn from alphabet, the same for a given seed.
func randomText(n int, alphabet string, seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}

const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// TestPatternSpeed: the pattern rules read a long value of base64-like
// text (spaces, '+', digits: every anchor shape now and then) at tens of
// MB/s, and still find values in it. Speed is judged against one plain
// pass over the same bytes (scanFeatures), timed alongside, so that a
// loaded machine slows both: regular expressions over the whole value
// cost 13 to 40 such passes, the anchored rules 2 (about 10 on the
// hostile alphabets, where a finding every few KB is judged).
//
// Not parallel: a speed needs the CPU to itself.
func TestPatternSpeed(t *testing.T) {
	const n = 8 << 20
	for _, c := range []struct {
		alphabet string
		passes   float64
	}{{alnum + "+/", 6}, {alnum + " ", 6}, {"0123456789 -+().", 25}, {"ST 1Z0123456789", 25}} {
		v := []byte(randomText(n/2, c.alphabet, 1) + " call 415-555-0134 or 1Z999AA10123456784, 1600 Amphitheatre Parkway, Mountain View, CA 94043 " + randomText(n/2, c.alphabet, 2))
		var s *scanner
		best, pass := time.Duration(1<<62), time.Duration(1<<62)
		underNoise(t, func() (bool, string) {
			for i := 0; i < 3; i++ {
				start := time.Now()
				scanFeatures(v, false)
				pass = min(pass, time.Since(start))
				s = newScanner(patternPool, ScanOptions{Patterns: true}, 0)
				start = time.Now()
				s.matchPatterns("v", v, nil, nil)
				best = min(best, time.Since(start))
			}
			ratio := float64(best) / float64(pass)
			t.Logf("%q: %d MB in %v (%.0f MB/s, %.1f plain passes), %d findings", c.alphabet, len(v)>>20, best,
				float64(len(v))/best.Seconds()/(1<<20), ratio, len(s.res.Patterns))
			return ratio <= c.passes, fmt.Sprintf("%q: pattern search cost %.1f plain passes, want under %.0f", c.alphabet, ratio, c.passes)
		})
		for _, rule := range []string{"phone", "ups", "us-address"} {
			if !hasRule(s.res.Patterns, rule) {
				t.Errorf("%q: no %s found", c.alphabet, rule)
			}
		}
	}
}

func hasRule(ps []PatternMatch, rule string) bool {
	for _, p := range ps {
		if p.Rule == rule {
			return true
		}
	}
	return false
}

// TestPatternWindows: values the anchored windows must not lose or make
// up: a house number far before its suffix, a number cut at a window
// edge, two UPS numbers one space apart.
func TestPatternWindows(t *testing.T) {
	t.Parallel()
	cases := []struct {
		text, rule string
		want       []string
	}{
		{"1Z999AA10123456784 1Z999AA10123456784", "ups", []string{"1Z999AA10123456784", "1Z999AA10123456784"}},
		{"x1Z999AA10123456784", "ups", nil},
		{"1Z999AA101234567845", "ups", nil},
		{"é1Z999AA10123456784é", "ups", []string{"1Z999AA10123456784"}},
		{strings.Repeat("a", 300) + "9 Elm St, Springfield, IL 62704", "us-address", nil}, // "a...a9" is no house number
		{strings.Repeat("b ", 200) + "9 Elm St, Springfield, IL 62704", "us-address", []string{"9 Elm St, Springfield, IL 62704"}},
		{"1234567 Elm St, Springfield, IL 62704", "us-address", nil},
		{"9 Elm St, Springfield, IL " + strings.Repeat("6", 200), "us-address", nil},
		{"9 Elm Street" + strings.Repeat(" x", 100) + " 62704", "us-address", nil}, // ZIP past 80 characters
		{"9 Elm STREET. Springfield IL 62704-1234", "us-address", []string{"9 Elm STREET. Springfield IL 62704-1234"}},
	}
	for _, c := range cases {
		var got []string
		var find func([]byte) []span
		switch c.rule {
		case "ups":
			find = findUPS
		default:
			find = findAddresses
		}
		for _, sp := range find([]byte(c.text)) {
			got = append(got, sp.value)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%.60q: %s found %q, want %q", c.text, c.rule, got, c.want)
		}
	}
}

// TestEverySurfaceCapped: a value larger than the per-value decoding cap,
// in any surface, is searched as sent (the email past the cap is found)
// and not decoded (the base64 email after it is not), with one warning.
func TestEverySurfaceCapped(t *testing.T) {
	t.Parallel()
	const capBytes = 1 << 20
	filler := randomText(capBytes+capBytes/2, alnum, 3)
	plain := "alice.smith@example.com"
	// Only decoding finds this one: the pool holds no base64 of JSON.
	b64 := base64.RawURLEncoding.EncodeToString([]byte(`{"em":"alice.smith@example.com"}`))
	val := filler + "." + plain + "." + b64
	cases := map[string]*traffic.Request{
		"URL query":  get("https://t.example/p?d=" + val),
		"URL path":   get("https://t.example/" + val),
		"header":     get("https://t.example/p", traffic.Header{Name: "X-Data", Value: val}),
		"cookie":     get("https://t.example/p", traffic.Header{Name: "Cookie", Value: "d=" + val}),
		"text body":  post("text/plain", []byte(val)),
		"JSON body":  post("application/json", []byte(`{"d":"`+val+`"}`)),
		"form body":  post("application/x-www-form-urlencoded", []byte("d="+val)),
		"websocket":  {URL: "wss://t.example/s", WebSocket: []traffic.WebSocketFrame{{Sent: true, Opcode: 1, Data: []byte(val)}}},
		"small body": post("text/plain", []byte("d="+b64)),
	}
	for name, r := range cases {
		res := alicePool.Scan(r, ScanOptions{Budgets: Budgets{MaxDecodedBytes: 4 * capBytes}})
		warned := strings.Contains(strings.Join(res.Warnings, "\n"), "cap per value")
		var plainFound, b64Found bool
		for _, m := range res.Matches {
			plainFound = plainFound || m.Field == "email" && !slices.Contains(m.Encoding, "base64url")
			b64Found = b64Found || m.Field == "email" && slices.Contains(m.Encoding, "base64url")
		}
		if name == "small body" {
			if warned || !b64Found {
				t.Errorf("%s: warnings %q, base64 found %v", name, res.Warnings, b64Found)
			}
			continue
		}
		if !warned || !plainFound || b64Found {
			t.Errorf("%s: warnings %q, plain email found %v (want true), base64 found %v (want false)", name, res.Warnings, plainFound, b64Found)
		}
		if res := alicePool.Scan(r, ScanOptions{}); len(res.Warnings) > 0 || len(res.Matches) < 2 {
			t.Errorf("%s: under the default cap, warnings %q and matches:%s", name, res.Warnings, describe(res))
		}
	}
}

// TestFormEncodedTwice: a value QueryEscape'd twice ('+' for spaces at the
// inner layer) is found in every channel, as its reading with spaces.
func TestFormEncodedTwice(t *testing.T) {
	t.Parallel()
	twice := url.QueryEscape(url.QueryEscape(alice.Phone)) // %252B1%2B%2528415%2529%2B555-0134
	cases := map[string]*traffic.Request{
		"cookie": get("https://t.example/p", traffic.Header{Name: "Cookie", Value: "a=1; _em=" + twice}),
		"query":  get("https://t.example/p?_em=" + url.QueryEscape(twice)),
		"header": get("https://t.example/p", traffic.Header{Name: "X-Em", Value: twice}),
		"JSON":   post("application/json", []byte(`{"_em":"`+twice+`"}`)),
		"frame":  {URL: "wss://t.example/s", WebSocket: []traffic.WebSocketFrame{{Sent: true, Opcode: 1, Data: []byte(twice)}}},
	}
	for name, r := range cases {
		res := alicePool.Scan(r, ScanOptions{})
		found := false
		for _, m := range res.Matches {
			found = found || m.Field == "phone"
		}
		if !found {
			t.Errorf("%s: no phone in %q;%s", name, twice, describe(res))
		}
	}
	// A '+' that a decoding round made from %2B stays a plus.
	res := alicePool.Scan(get("https://t.example/p", traffic.Header{Name: "Cookie", Value: "p=" + url.PathEscape(url.QueryEscape(alice.Phone))}), ScanOptions{})
	if len(res.Matches) == 0 {
		t.Errorf("path-escaped query-escaped phone not found")
	}
}

// TestNestingWarnings: JSON nested past maxJSONDepth, and values nested in
// values past maxNest, are searched as text with one warning each per
// request naming the limit; the cost stays linear.
func TestNestingWarnings(t *testing.T) {
	t.Parallel()
	deep := func(n int) *traffic.Request {
		return post("application/json", []byte(strings.Repeat(`{"u":`, n)+`"alice.smith@example.com"`+strings.Repeat("}", n)))
	}
	inner := `{"e":"alice.smith@example.com"}`
	for i := 0; i < maxNest+2; i++ {
		inner = `{"j":` + strconvQuote(inner) + `}`
	}
	cases := []struct {
		name string
		r    *traffic.Request
		want string
	}{
		{"deep JSON", deep(100000), "JSON nested deeper than 256 levels"},
		{"JSON in JSON", post("application/json", []byte(inner)), "more than 6 levels deep"},
	}
	for _, c := range cases {
		res := alicePool.Scan(c.r, ScanOptions{})
		n := strings.Count(strings.Join(res.Warnings, "\n"), c.want)
		if n != 1 || len(res.Matches) == 0 {
			t.Errorf("%s: %d warnings saying %q (want 1), %d matches; warnings %q", c.name, n, c.want, len(res.Matches), res.Warnings)
		}
	}
	timed := func(n int) time.Duration {
		start := time.Now()
		alicePool.Scan(deep(n), ScanOptions{Patterns: true})
		return time.Since(start)
	}
	underNoise(t, func() (bool, string) {
		s, b := timed(50000), timed(200000)
		return b <= 8*s+50*time.Millisecond, fmt.Sprintf("4× the nesting took %.1f× the time (%v, %v)", float64(b)/float64(s), s, b)
	})
}

func strconvQuote(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}

// TestWireNotRequestBudget: values as sent count against each surface's
// cap, not the request's decoding budget, so the last frame of a long
// session is still decoded.
func TestWireNotRequestBudget(t *testing.T) {
	t.Parallel()
	plain := []byte(randomText(600<<10, alnum+" ", 4))
	r := &traffic.Request{URL: "wss://t.example/s"}
	for range 10 { // 6 MB as sent, past the request's 4 MB
		r.WebSocket = append(r.WebSocket, traffic.WebSocketFrame{Sent: true, Opcode: 1, Data: plain})
	}
	b64 := base64.StdEncoding.EncodeToString([]byte(`{"em":"alice.smith@example.com"}`))
	r.WebSocket = append(r.WebSocket, traffic.WebSocketFrame{Sent: true, Opcode: 1, Data: []byte(`{"d":"` + b64 + `"}`)})
	res := alicePool.Scan(r, ScanOptions{Budgets: Budgets{MaxDecodedBytes: 4 << 20}})
	if len(res.Warnings) > 0 || len(res.Matches) != 1 || !slices.Contains(res.Matches[0].Encoding, "base64") {
		t.Errorf("warnings %q, matches:%s", res.Warnings, describe(res))
	}
}

// TestAddressWindowsExact: on texts short enough for one window, the
// anchored search finds what reAddress finds over the whole text.
func TestAddressWindowsExact(t *testing.T) {
	t.Parallel()
	pick := func(rng *rand.Rand, xs ...string) string { return xs[rng.IntN(len(xs))] }
	noise := []string{"", "a", "x9", "_", "é", ".", ",", "\n", " ", "+", "12", "CA", "St"}
	rng := rand.New(rand.NewPCG(3, 4))
	found := 0
	for range 30000 {
		var b strings.Builder
		for range rng.IntN(3) {
			b.WriteString(pick(rng, noise...))
		}
		b.WriteString(pick(rng, "9", "12", "123456", "1234567", "x9", "_9", ""))
		for range 1 + rng.IntN(7) {
			b.WriteString(pick(rng, " ", "+", "  "))
			b.WriteString(pick(rng, "Elm", "Oak", "a", "12", "'#", "O'Neil", "N.", "-"))
		}
		b.WriteString(pick(rng, " ", "+", ""))
		b.WriteString(pick(rng, "St", "street", "AVE", "Boulevards", "Sq", "Way", "Stx", "pkwy"))
		b.WriteString(pick(rng, "", ".", ",", "_", "x"))
		for range rng.IntN(6) {
			b.WriteString(pick(rng, noise...))
		}
		b.WriteString(pick(rng, " 12345", " 12345-6789", " 1234", "123456", " 12345x", " 12345_"))
		for range rng.IntN(3) {
			b.WriteString(pick(rng, noise...))
		}
		v := []byte(b.String())
		var want, got []string
		if countDigits(v) >= 6 && hasDigitRun(v, 5) {
			for _, m := range reAddress.FindAllSubmatchIndex(v, -1) {
				want = append(want, string(v[m[2]:m[3]]))
			}
		}
		for _, sp := range findAddresses(v) {
			got = append(got, sp.value)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%q: found %q, want %q", v, got, want)
		}
		found += len(want)
	}
	if found < 100 {
		t.Errorf("only %d addresses in the random texts: the test proves little", found)
	}
	t.Logf("%d addresses found alike", found)
}
