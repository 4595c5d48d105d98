package redact

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"
)

// secretSet maps each secret to replace everywhere, in each escaped form
// it may take, to its replacement. Base64 and hex forms are not listed:
// those are found by opening every base64 and hex run (layered), which
// also encodes the placeholder back so the run still decodes; a listed
// form would match inside a longer run and break its alignment.
type secretSet map[string]string

// secretForm is one encoded form of a value, applied to the secret and to
// the placeholder alike.
type secretForm struct {
	name string
	enc  func(string) string
}

// secretForms are the escaped forms a secret is looked for in as it is,
// besides the layers opened around it (a cheap first pass; the layers
// find the rest).
var secretForms = []secretForm{
	{"URL query", url.QueryEscape},
	{"URL path", url.PathEscape},
	{"URL query twice", func(s string) string { return url.QueryEscape(url.QueryEscape(s)) }},
	{"JSON string", jsonInner},
}

func jsonInner(s string) string {
	q, err := json.Marshal(s)
	if err != nil {
		return s
	}
	return string(q[1 : len(q)-1])
}

// add records a secret and the forms it takes when escaped or encoded.
func (ss secretSet) add(v string, min int) {
	v = strings.TrimSpace(v)
	// A value already redacted upstream (the shared HARs carry "REDACTED")
	// must not turn the placeholder itself into a secret.
	if len(v) < min || strings.Contains(strings.ToUpper(v), "REDACTED") || trivial[strings.ToLower(v)] {
		return
	}
	ss[v] = Placeholder
	if d, err := url.QueryUnescape(v); err == nil && len(d) >= min {
		ss[d] = Placeholder
		v = d
	}
	for _, f := range secretForms {
		if e := f.enc(v); e != v {
			if _, ok := ss[e]; !ok {
				ss[e] = Placeholder
			}
		}
	}
}

// trivial values never count as secrets on their own.
var trivial = map[string]bool{"true": true, "false": true, "null": true, "undefined": true, "deleted": true, "none": true}

// replacer replaces every secret, longest first, with its replacement.
func (ss secretSet) replacer() *pairReplacer {
	vals := make([]string, 0, len(ss))
	for v := range ss {
		vals = append(vals, v)
	}
	sort.Slice(vals, func(i, j int) bool {
		if len(vals[i]) != len(vals[j]) {
			return len(vals[i]) > len(vals[j])
		}
		return vals[i] < vals[j]
	})
	pairs := make([]string, 0, 2*len(vals))
	for _, v := range vals {
		pairs = append(pairs, v, ss[v])
	}
	return newPairReplacer(pairs...)
}
