package redact

import (
	"slices"
	"strings"
)

// keyShape is a provider's credential format: a literal prefix and a body
// of min to max characters of one class (max 0: the whole run). Such a
// value is a secret wherever it appears, whatever field carries it.
type keyShape struct {
	provider string
	prefix   string
	body     func(byte) bool
	min, max int
}

// keyShapes are the credential formats found by shape (JWTs and bearer
// credentials have their own scans). Publishable keys (Stripe's pk_live_,
// analytics project tokens) are account IDs reports must show: not here.
var keyShapes = []keyShape{
	{"AWS access key ID", "AKIA", isUpperDigit, 16, 16},
	{"AWS temporary access key ID", "ASIA", isUpperDigit, 16, 16},
	{"Google API key", "AIza", isB64URL, 35, 35},
	{"Stripe secret key", "sk_live_", isAlnum, 16, 0},
	{"Stripe test secret key", "sk_test_", isAlnum, 16, 0},
	{"Stripe restricted key", "rk_live_", isAlnum, 16, 0},
	{"Stripe restricted test key", "rk_test_", isAlnum, 16, 0},
	{"GitHub personal access token", "ghp_", isAlnum, 36, 36},
	{"GitHub OAuth token", "gho_", isAlnum, 36, 36},
	{"GitHub user-to-server token", "ghu_", isAlnum, 36, 36},
	{"GitHub server-to-server token", "ghs_", isAlnum, 36, 36},
	{"GitHub refresh token", "ghr_", isAlnum, 36, 36},
	{"GitHub fine-grained token", "github_pat_", isWordChar, 22, 0},
	{"Slack bot token", "xoxb-", isSlackChar, 10, 0},
	{"Slack user token", "xoxp-", isSlackChar, 10, 0},
	{"Slack app token", "xoxa-", isSlackChar, 10, 0},
	{"Slack refresh token", "xoxr-", isSlackChar, 10, 0},
}

func isUpperDigit(c byte) bool { return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }

func isWordChar(c byte) bool { return isAlnum(c) || c == '_' }

func isSlackChar(c byte) bool { return isAlnum(c) || c == '-' }

func isHex(c byte) bool { return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f' }

// keyStart reports whether a credential may start at s[at]: after no word
// character, or after a percent escape ("key%3DAKIA…" nested in a URL).
func keyStart(s string, at int) bool {
	if at == 0 || !isWordChar(s[at-1]) {
		return true
	}
	return at >= 3 && s[at-3] == '%' && isHex(s[at-2]) && isHex(s[at-1])
}

// match returns the end of the credential of shape k starting at s[at],
// or -1. A fixed-length body followed by more of its class is no match.
func (k keyShape) match(s string, at int) int {
	if !keyStart(s, at) {
		return -1
	}
	i := at + len(k.prefix)
	limit := len(s) // a fixed-length body is read one past its length, no further
	if k.max > 0 {
		limit = min(limit, i+k.max+1)
	}
	end := i
	for end < limit && k.body(s[end]) {
		end++
	}
	n := end - i
	if n < k.min || k.max > 0 && n != k.max || end < len(s) && isAlnum(s[end]) {
		return -1
	}
	return end
}

// keyAnchors2 are the distinct two-byte starts of the shapes' prefixes,
// and keyPairs has a bit for each: one pass over a text finds every
// candidate of every shape.
var (
	keyAnchors2 = shapeAnchors(keyShapes)
	keyPairs    = pairBits(keyAnchors2)
)

func shapeAnchors(shapes []keyShape) []string {
	var out []string
	for _, k := range shapes {
		if a := k.prefix[:2]; !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// pairBitmap has a bit for each pair of bytes.
type pairBitmap [1 << 16 / 64]uint64

func pairBits(pairs []string) *pairBitmap {
	t := new(pairBitmap)
	for _, p := range pairs {
		t.set(p[0], p[1])
	}
	return t
}

func (t *pairBitmap) set(a, b byte) {
	k := uint(a)<<8 | uint(b)
	t[k>>6] |= 1 << (k & 63)
}

func (t *pairBitmap) has(a, b byte) bool {
	k := uint(a)<<8 | uint(b)
	return t[k>>6]&(1<<(k&63)) != 0
}

// keySpans returns the byte spans of provider credentials in s, sorted
// and not overlapping. Each anchor's occurrences are tried in order; a
// match skips the occurrences of its anchor inside it (not those of
// others, which may start a credential of their own).
func keySpans(s string) [][2]int {
	var spans [][2]int
	var next []int // per anchor, where its next occurrence may start
	for at := 0; at+1 < len(s); at++ {
		if !keyPairs.has(s[at], s[at+1]) {
			continue
		}
		if next == nil {
			next = make([]int, len(keyAnchors2))
		}
		a := slices.Index(keyAnchors2, s[at:at+2])
		if at < next[a] {
			continue
		}
		for _, k := range keyShapes {
			if !strings.HasPrefix(s[at:], k.prefix) {
				continue
			}
			if end := k.match(s, at); end > 0 {
				spans = append(spans, [2]int{at, end})
				next[a] = end
				break
			}
		}
	}
	return mergeSpans(spans)
}

// mergeSpans sorts spans by start and joins the overlapping ones.
func mergeSpans(spans [][2]int) [][2]int {
	if len(spans) < 2 {
		return spans
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	out := spans[:1]
	for _, sp := range spans[1:] {
		last := &out[len(out)-1]
		if sp[0] < last[1] {
			last[1] = max(last[1], sp[1])
			continue
		}
		out = append(out, sp)
	}
	return out
}

// providerKeys returns the provider credentials found in s.
func providerKeys(s string) []string {
	spans := keySpans(s)
	out := make([]string, 0, len(spans))
	for _, sp := range spans {
		out = append(out, s[sp[0]:sp[1]])
	}
	return out
}

// blankKeys replaces every provider credential in s with the placeholder.
func blankKeys(s string) string {
	spans := keySpans(s)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp[0]])
		b.WriteString(Placeholder)
		last = sp[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// keyFields are names whose value is often an account's public key (kept)
// but is redacted when it looks like a credential.
var keyFields = []string{"key", "api_key", "apikey", "api-key", "access_token", "token", "authentication[apikey]"}

// keyAnchors are what a text holding a key-named field contains (a form
// field, a JSON name, a JSON name inside a JSON string): the cheap test
// before the field scans ("token" is already a secretFieldParts word).
var keyAnchors = []string{"key=", `key"`, `key\"`}

// fieldAnchors are all a text naming a secret field contains: one pass.
var (
	fieldAnchors   = slices.Concat(secretFieldParts, keyAnchors)
	fieldAnchorSet = newPartSet(fieldAnchors)
)

// secretValuePrefixes start secret keys of services whose formats have no
// fixed length (OpenAI's and Anthropic's "sk-", webhook secrets).
var secretValuePrefixes = []string{"sk_", "rk_", "sk-", "whsec_", "secret_", "shpat_", "shpss_", "glpat-", "xox"}

// credentialValue reports whether a value looks like a credential: a
// provider key anywhere in it, or a secret-key prefix.
func credentialValue(v string) bool {
	v = strings.TrimSpace(v)
	if len(v) < 12 {
		return false
	}
	for _, p := range secretValuePrefixes {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return len(keySpans(v)) > 0 || len(jwts(v)) > 0
}

// secretPair reports whether a named value is a secret: by its name, or,
// under a key-like name, by its shape.
func secretPair(name, value string) bool {
	return secretField(name) || equalsAnyFold(name, keyFields) && credentialValue(value)
}
