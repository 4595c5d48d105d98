package pixel

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// paramHit builds one hit from ordered parameters named by rules.
func paramHit(vendor, product string, rl *rules, ps []param) Hit {
	b := newBuilder(vendor, product, rl)
	b.addParams(ps)
	return b.hit
}

// paramDecoder is the Decode of a vendor whose hit is the request's query
// plus form body parameters.
func paramDecoder(vendor, product string, rl *rules) func(*traffic.Request, *url.URL) []Hit {
	return func(r *traffic.Request, u *url.URL) []Hit {
		h := paramHit(vendor, product, rl, allParams(r, u))
		addBodyRest(&h, r, rl)
		return []Hit{h}
	}
}

// addBodyRest adds a body that is neither form nor multipart (JSON or text)
// to h, so nothing sent is dropped: JSON is flattened at the root, other
// text is one "body" field.
func addBodyRest(h *Hit, r *traffic.Request, rl *rules) {
	if len(r.Body) == 0 || formParams(r) != nil {
		return
	}
	body := requestBody(r)
	b := &builder{hit: *h, rules: rl}
	if !looksJSONBytes(body) || !b.addJSON("", body, CustomData) {
		b.addAs("body", string(body), Raw)
	}
	*h = b.hit
}

// jsonBody returns the decoded request body when it is a JSON object or
// array, whatever its declared type (trackers often send text/plain).
func jsonBody(r *traffic.Request) []byte {
	body := bytes.TrimSpace(requestBody(r))
	if looksJSONBytes(body) {
		return body
	}
	return nil
}

// jsonHits decodes a JSON body into hits. When split names an array (at the
// root with "", else a top-level key) each element is one hit and the other
// top-level members are shared by all; otherwise the whole body is one hit.
// A body that is not JSON yields one hit with the body as a Raw field.
func jsonHits(vendor, product string, rl *rules, data []byte, split string) []Hit {
	leaves, ok := flattenJSON("", data, maxBodyLeaves)
	if !ok {
		b := newBuilder(vendor, product, rl)
		if len(data) > 0 {
			b.addAs("body", string(data), Raw)
		}
		return []Hit{b.hit}
	}
	shared, groups := splitLeaves(leaves, split)
	if len(groups) == 0 {
		groups = [][]param{nil}
	}
	out := make([]Hit, 0, len(groups))
	for _, g := range groups {
		b := newBuilder(vendor, product, rl)
		for _, l := range shared {
			b.add(l.Name, l.Value)
		}
		for _, l := range g {
			b.add(l.Name, l.Value)
		}
		out = append(out, b.hit)
	}
	return out
}

// splitLeaves groups leaves whose path starts with "<split>.<n>" by n;
// everything else is shared. split "" groups a root array by index.
func splitLeaves(leaves []param, split string) (shared []param, groups [][]param) {
	prefix := split + "."
	if split == "" {
		prefix = ""
	}
	idx := map[string]int{}
	for _, l := range leaves {
		rest, ok := strings.CutPrefix(l.Name, prefix)
		n, _, _ := strings.Cut(rest, ".")
		if split == "-" || !ok || !isDigits(n) {
			shared = append(shared, l)
			continue
		}
		i, seen := idx[n]
		if !seen {
			i = len(groups)
			idx[n] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], l)
	}
	return shared, groups
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

var (
	hex64   = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)
	hex32   = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)
	b64hash = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
)

// looksHashed reports whether v looks like a SHA-256 or MD5 digest in hex,
// or a SHA-256 digest in unpadded base64url.
func looksHashed(v string) bool {
	return hex64.MatchString(v) || hex32.MatchString(v) || b64hash.MatchString(v)
}

// hashedOr returns hashed when v looks like a digest, else PlainPII.
func hashedOr(v string, hashed Meaning) Meaning {
	if v == "" || looksHashed(v) {
		return hashed
	}
	return PlainPII
}

// pathSegment returns the n-th non-empty segment of u's path, or "".
func pathSegment(u *url.URL, n int) string {
	i := 0
	for _, s := range strings.Split(u.EscapedPath(), "/") {
		if s == "" {
			continue
		}
		if i == n {
			return codec.QueryUnescape(s)
		}
		i++
	}
	return ""
}
