package e2e

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// place is one value a collector received, found by decoding the request
// the way its client encoded it: channel and location as the audit names
// them, and the decoding steps from the wire inwards.
type place struct {
	Channel  string   // "query" or "body"
	Location string   // query parameter, or JSON path in the body, e.g. "data.0.ue_px"
	Layers   []string // e.g. ["base64"], ["gzip"], ["base64", "gzip"]
	Text     string
}

// base64Keys hold base64url JSON (Snowplow ue_px and cx, in the query and
// in tp2 bodies); gzipB64Keys hold base64 of gzip of JSON (the replay
// batches sent packed); jsonKeys hold JSON as a string (Snowplow ue_pr, co).
var (
	base64Keys  = map[string]bool{"ue_px": true, "cx": true}
	gzipB64Keys = map[string]bool{"payload": true}
	jsonKeys    = map[string]bool{"ue_pr": true, "co": true}
)

// places decodes what a collector received into its leaf values.
func places(h hit) ([]place, error) {
	var out []place
	q, err := url.ParseQuery(h.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("query of %s: %w", h.URL(), err)
	}
	for k, vs := range q {
		for _, v := range vs {
			p, err := expand(place{Channel: "query", Location: k, Text: v}, k)
			if err != nil {
				return nil, fmt.Errorf("query %s of %s: %w", k, h.URL(), err)
			}
			out = append(out, p...)
		}
	}
	if len(h.Body) == 0 {
		return out, nil
	}
	body, layers := h.Body, []string(nil)
	// The replay collector gets Content-Encoding: gzip; PostHog sends
	// gzip-js, a gzip body with no header saying so.
	if h.Header.Get("Content-Encoding") == "gzip" || bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
		if body, err = gunzip(body); err != nil {
			return nil, fmt.Errorf("body of %s: %w", h.URL(), err)
		}
		layers = []string{"gzip"}
	}
	if strings.HasPrefix(h.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		// PostHog's base64 compression: data=<base64 of JSON>.
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, fmt.Errorf("form body of %s: %w", h.URL(), err)
		}
		for k, vs := range form {
			for _, v := range vs {
				at := place{Channel: "body", Location: k, Layers: layers, Text: v}
				p, err := expand(at, formKey(k))
				if err != nil {
					return nil, fmt.Errorf("body of %s: %w", h.URL(), err)
				}
				out = append(out, p...)
			}
		}
		return out, nil
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("body of %s is not JSON: %w", h.URL(), err)
	}
	p, err := walk(place{Channel: "body", Layers: layers}, doc)
	if err != nil {
		return nil, fmt.Errorf("body of %s: %w", h.URL(), err)
	}
	return append(out, p...), nil
}

// formKey maps PostHog's data= form field to the base64 JSON it holds.
func formKey(k string) string {
	if k == "data" {
		return "ue_px" // any key of base64Keys
	}
	return k
}

// walk lists the leaves of a JSON value under at, decoding the strings
// that hold encoded JSON.
func walk(at place, v any) ([]place, error) {
	var out []place
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p, err := walk(child(at, k), v[k])
			if err != nil {
				return nil, err
			}
			out = append(out, p...)
		}
	case []any:
		for i, e := range v {
			p, err := walk(child(at, fmt.Sprint(i)), e)
			if err != nil {
				return nil, err
			}
			out = append(out, p...)
		}
	case string:
		at.Text = v
		return expand(at, lastKey(at.Location))
	case nil:
	default:
		at.Text = fmt.Sprint(v)
		out = append(out, at)
	}
	return out, nil
}

// expand returns the leaf, or what it holds when key names an encoded field.
func expand(at place, key string) ([]place, error) {
	out := []place{at}
	var inner []byte
	var err error
	layers := append([]string(nil), at.Layers...)
	switch {
	case base64Keys[key]:
		inner, err = unbase64(at.Text)
		layers = append(layers, "base64")
	case gzipB64Keys[key]:
		if inner, err = unbase64(at.Text); err == nil {
			inner, err = gunzip(inner)
		}
		layers = append(layers, "base64", "gzip")
	case jsonKeys[key]:
		inner = []byte(at.Text)
	default:
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", at.Location, err)
	}
	var doc any
	if err := json.Unmarshal(inner, &doc); err != nil {
		return nil, fmt.Errorf("%s does not hold JSON: %w", at.Location, err)
	}
	// The encoded string itself stands for nothing once decoded.
	return walk(place{Channel: at.Channel, Location: at.Location, Layers: layers}, doc)
}

func child(at place, key string) place {
	if at.Location != "" {
		key = at.Location + "." + key
	}
	return place{Channel: at.Channel, Location: key, Layers: at.Layers}
}

func lastKey(loc string) string {
	return loc[strings.LastIndexByte(loc, '.')+1:]
}

func unbase64(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if strings.ContainsAny(s, "-_") {
		return base64.RawURLEncoding.DecodeString(s)
	}
	return base64.RawStdEncoding.DecodeString(s)
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, 32<<20))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	return out, nil
}

// carry is one persona field found in a text, plainly or as the lowercase
// hex SHA-256 of its trimmed, lowercased value (Hash "sha256").
type carry struct{ Field, Hash string }

// carried lists the persona fields whose values text holds as the audit
// should count them: as whole tokens (not inside a longer run of letters
// and digits), ignoring case; a value inside a longer one that is also
// found (a first name inside the email address) counts only for the
// longer; a code of two letters (a state) only as the whole text, after
// "=", ":" or ", " (an address line), and before a delimiter.
func carried(text string, who visitor) []carry {
	type form struct {
		carry
		value string
	}
	var forms []form
	for _, f := range fields(who) {
		v := strings.ToLower(strings.TrimSpace(f[1]))
		if v == "" {
			continue
		}
		sum := sha256.Sum256([]byte(v))
		forms = append(forms, form{carry{f[0], ""}, v}, form{carry{f[0], "sha256"}, hex.EncodeToString(sum[:])})
	}
	sort.SliceStable(forms, func(i, j int) bool { return len(forms[i].value) > len(forms[j].value) })
	text = strings.ToLower(text)
	var out []carry
	for _, f := range forms {
		found := false
		for i := 0; ; {
			j := strings.Index(text[i:], f.value)
			if j < 0 {
				break
			}
			start, end := i+j, i+j+len(f.value)
			if whole(text, start, end) {
				found = true
				// Blank it so shorter values inside it do not count.
				text = text[:start] + strings.Repeat("\x00", len(f.value)) + text[end:]
			}
			i = start + 1
		}
		if found {
			out = append(out, f.carry)
		}
	}
	return out
}

func whole(text string, start, end int) bool {
	if alnumBefore(text, start) || alnumAfter(text, end) {
		return false
	}
	if end-start > 2 {
		return true
	}
	if end < len(text) && !strings.ContainsRune("&;,|\"' \n", rune(text[end])) {
		return false
	}
	return start == 0 || text[start-1] == '=' || text[start-1] == ':' ||
		start >= 2 && text[start-2:start] == ", "
}

func alnumBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return i > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func alnumAfter(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return i < len(s) && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
