package consent

import (
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// anchors are strings every consent field name holds one of (lower case),
// and the Consent Mode parameters read from Google requests no decoder
// knows: a request holding none of them carries no consent field. Each
// starts with two ASCII letters (TestAnchors).
var anchors = []string{"consent", "gdpr", "gpp", "privacy", "usp", "ccpa", "tcstring", "tc_string", "gcs=", "gcd=", "npa=", "dma="}

// mayCarry reports whether a request may carry a consent field: one of the
// anchors in its URL (urlAnchor, hasAnchor of it), cookies or body (its
// first 64 KiB), or an opt-out header.
func mayCarry(r *traffic.Request, urlAnchor bool) bool {
	if urlAnchor || r.Headers.Get("Sec-GPC") != "" || r.Headers.Get("DNT") != "" {
		return true
	}
	for _, v := range r.Headers.Values("Cookie") {
		if namesHaveAnchor(v) {
			return true
		}
	}
	for _, ck := range r.Cookies {
		if hasAnchor(ck.Name) {
			return true
		}
	}
	body := r.Body
	if len(body) > maxObservedBody {
		body = body[:maxObservedBody]
	}
	if hasAnchor(body) {
		return true
	}
	for _, p := range r.Params {
		if hasAnchor(p.Name) {
			return true
		}
	}
	return false
}

// anchorTable lists the anchors by their first letter, both cases, with a
// mask of their second letters (bit c-'a' of the lower-case letter c), so
// that most bytes are passed over at one look.
type anchorTable struct {
	byFirst [256][]string
	second  [256]uint32
}

var anchorsByFirst = func() (t anchorTable) {
	for _, a := range anchors {
		for _, f := range []byte{a[0], upperASCII(a[0])} {
			t.byFirst[f] = append(t.byFirst[f], a)
			t.second[f] |= 1 << (a[1] - 'a')
		}
	}
	return t
}()

// hasAnchor reports whether s holds an anchor, ignoring ASCII case.
func hasAnchor[T string | []byte](s T) bool {
	for i := 0; i+1 < len(s); i++ {
		m := anchorsByFirst.second[s[i]]
		if m == 0 {
			continue
		}
		if c := s[i+1] | 0x20; c < 'a' || c > 'z' || m&(1<<(c-'a')) == 0 {
			continue
		}
		for _, a := range anchorsByFirst.byFirst[s[i]] {
			if len(s)-i >= len(a) && equalFoldASCII(s[i:i+len(a)], a) {
				return true
			}
		}
	}
	return false
}

// namesHaveAnchor reports whether a name of a Cookie header's name=value
// parts (split at ";") holds an anchor: values, the bulk of the header,
// are not read.
func namesHaveAnchor(s string) bool {
	for len(s) > 0 {
		end := strings.IndexByte(s, ';')
		part := s
		if end >= 0 {
			part, s = s[:end], s[end+1:]
		} else {
			s = ""
		}
		if eq := strings.IndexByte(part, '='); eq >= 0 {
			part = part[:eq]
		}
		if hasAnchor(part) {
			return true
		}
	}
	return false
}

func equalFoldASCII[T string | []byte](s T, lower string) bool {
	for j := 0; j < len(lower); j++ {
		c := s[j]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[j] {
			return false
		}
	}
	return true
}
