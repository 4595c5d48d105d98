// Package reference is a plain, deliberately unoptimised implementation of
// the research method for finding personal data in web traffic (Englehardt
// et al. 2018; Leaky Forms, USENIX Security 2022): a pool of the persona's
// values × hashes × encodings, searched as substrings in every URL, header,
// cookie, body and sent WebSocket frame, and in what decoding them and their
// tokens gives, up to three layers deep. It reads the HAR with
// encoding/json on its own, so it shares no code with leakwatch: it is the
// yardstick leakwatch's speed and recall are measured against.
package reference

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
)

// Value is one persona value under its persona key ("email", "phone",
// "first_name", "last_name", "tracking_numbers", ...).
type Value struct{ Key, Value string }

// Leak is one persona value found in one request field.
type Leak struct {
	Request int    // entry index in the HAR
	Where   string // "url", "header:<name>", "cookie:<name>", "body", "websocket"
	Key     string // persona key
	Chain   string // the candidate's transforms, e.g. "sha256|base64", and the decoding layers
}

// candidate is one string the search looks for.
type candidate struct{ text, key, chain string }

// Pool is the candidate pool: every variant of every value, plain and
// hashed, in every encoding.
type Pool struct {
	cands  []candidate
	minLen int
}

var hashes = []struct {
	name string
	fn   func([]byte) []byte
}{
	{"md5", func(b []byte) []byte { s := md5.Sum(b); return s[:] }},
	{"sha1", func(b []byte) []byte { s := sha1.Sum(b); return s[:] }},
	{"sha256", func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }},
	{"sha512", func(b []byte) []byte { s := sha512.Sum512(b); return s[:] }},
}

var encodings = []struct {
	name string
	fn   func(string) string
}{
	{"plain", func(s string) string { return s }},
	{"url", url.QueryEscape},
	{"url-path", url.PathEscape},
	{"base64", func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }},
	{"base64url", func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }},
	{"hex", func(s string) string { return hex.EncodeToString([]byte(s)) }},
}

// NewPool builds the candidate pool of values.
func NewPool(values []Value) *Pool {
	p := &Pool{minLen: 1 << 30}
	seen := map[string]bool{}
	add := func(text, key, chain string) {
		if len(text) < 4 || seen[key+"\x00"+text] {
			return
		}
		seen[key+"\x00"+text] = true
		p.cands = append(p.cands, candidate{text, key, chain})
		p.minLen = min(p.minLen, len(text))
	}
	for _, v := range values {
		for _, variant := range variants(v) {
			forms := []candidate{{variant.text, v.Key, variant.chain}}
			for _, h := range hashes {
				forms = append(forms, candidate{hex.EncodeToString(h.fn([]byte(variant.text))), v.Key, variant.chain + "|" + h.name})
			}
			for _, f := range forms {
				for _, e := range encodings {
					add(e.fn(f.text), f.key, f.chain+"|"+e.name)
				}
			}
		}
	}
	return p
}

// Size is the number of candidates.
func (p *Pool) Size() int { return len(p.cands) }

// variants are the forms a value is typed or normalised into before
// hashing: as given, trimmed, lower and upper case; an email without the
// dots of its local part; a phone number's digits with and without its
// "+" and country code.
func variants(v Value) []candidate {
	s := strings.TrimSpace(v.Value)
	out := []candidate{{v.Value, "", "as-given"}, {s, "", "trim"}, {strings.ToLower(s), "", "lower"}, {strings.ToUpper(s), "", "upper"}}
	switch v.Key {
	case "email":
		if local, domain, ok := strings.Cut(strings.ToLower(s), "@"); ok {
			out = append(out, candidate{strings.ReplaceAll(local, ".", "") + "@" + domain, "", "no-dots"})
		}
	case "phone":
		var d strings.Builder
		for _, r := range s {
			if r >= '0' && r <= '9' {
				d.WriteRune(r)
			}
		}
		ds := d.String()
		out = append(out, candidate{ds, "", "digits"}, candidate{"+" + ds, "", "e164"})
		if len(ds) > 10 {
			out = append(out, candidate{ds[len(ds)-10:], "", "national"})
		}
	}
	return out
}
