package redact

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
)

// Minimum lengths of a value replaced wherever it appears: harvested values
// shorter than this (a cookie "1", a flag "true") are only blanked where
// they were found, so common short strings elsewhere survive.
const (
	minHarvested = 10 // tokens and cookie values: real ones are long
	minPassword  = 6  // values of password fields
	minExplicit  = 3  // Options.Secrets
)

// minFor is the minimum length of a harvested value of the named field.
func minFor(key string) int {
	k := strings.ToLower(key)
	if strings.Contains(k, "pass") || strings.Contains(k, "pwd") {
		return minPassword
	}
	return minHarvested
}

var (
	// jwtRE matches a JSON Web Token: base64url JSON header and payload.
	jwtRE = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*`)
	// bearerRE matches a bearer credential in free text or a URL.
	bearerRE = regexp.MustCompile(`(?i)\b(bearer)(\s+|%20|\+)([A-Za-z0-9._~+/=-]{8,})`)
	// userinfoRE matches the password of a URL's user information.
	userinfoRE = regexp.MustCompile(`(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)([^@/\s]+)(@)`)
	// jsonFieldRE matches "key": "string" or "key": number.
	jsonFieldRE = regexp.MustCompile(`"((?:[^"\\]|\\.){1,128})"\s*:\s*(?:"((?:[^"\\]|\\.)*)"|(-?[0-9]+))`)
	// escapedJSONFieldRE matches the same inside a JSON string: \"key\":\"value\".
	escapedJSONFieldRE = regexp.MustCompile(`\\"([^"\\]{1,128})\\"\s*:\s*\\"([^"\\]*)\\"`)
	// formFieldRE matches key=value in query strings and form bodies.
	formFieldRE = regexp.MustCompile(`(?:^|[?&;\s])([^=&?;#\s"]{1,128})=([^&;#\s"]*)`)
	// multipartNameRE matches a multipart part's headers up to its value.
	multipartNameRE = regexp.MustCompile(`(?i)content-disposition:[^\r\n]*\bname="([^"]*)"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n`)
)

// fieldFunc decides what to do with a named value found in a body, URL or
// storage: it returns the replacement text for the value.
type fieldFunc func(key, value string) string

// fields applies f to every secret-named field in s, in JSON, escaped JSON,
// multipart and form syntax, and returns the rewritten text.
func fields(s string, f fieldFunc) string {
	// Cheap test first: most text names no secret field at all.
	if !fieldAnchorSet.in(s) {
		return s
	}
	if strings.Contains(s, `"`) {
		s = replaceLocs(s, jsonFieldScan.locs(s), func(m []string, idx []int) string {
			key, val, num := m[1], m[2], m[3]
			if !secretPair(unescapeJSON(key), val+num) {
				return m[0]
			}
			if idx[4] < 0 {
				return replaceAt(m[0], idx[6]-idx[0], idx[7]-idx[0], f(key, num))
			}
			return replaceAt(m[0], idx[4]-idx[0], idx[5]-idx[0], f(key, val))
		})
		s = replaceLocs(s, escapedJSONFieldScan.locs(s), func(m []string, idx []int) string {
			if !secretPair(m[1], m[2]) {
				return m[0]
			}
			return replaceAt(m[0], idx[4]-idx[0], idx[5]-idx[0], f(m[1], m[2]))
		})
		s = multipart(s, f)
	}
	if strings.Contains(s, "=") {
		s = replaceLocs(s, formFieldLocs(s), func(m []string, idx []int) string {
			if m[2] == "" {
				return m[0]
			}
			key := m[1]
			if strings.ContainsAny(key, "%+") { // else QueryUnescape returns it as is
				if k, err := url.QueryUnescape(key); err == nil {
					key = k
				}
			}
			// secretPair, reading the value only when the name is key-like.
			if !secretField(key) && !(equalsAnyFold(key, keyFields) && credentialValue(codec.QueryUnescape(m[2]))) {
				return m[0]
			}
			return replaceAt(m[0], idx[4]-idx[0], idx[5]-idx[0], f(key, m[2]))
		})
	}
	return s
}

// multipart rewrites the values of secret-named multipart parts.
func multipart(s string, f fieldFunc) string {
	if !hasMultipart(s) {
		return s
	}
	locs := multipartNameRE.FindAllStringSubmatchIndex(s, -1)
	if locs == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, loc := range locs {
		name := s[loc[2]:loc[3]]
		start := loc[1]
		if !secretField(name) || start < last {
			continue
		}
		end := strings.Index(s[start:], "\n--")
		if end < 0 {
			end = len(s) - start
		}
		end += start
		if end > start && s[end-1] == '\r' {
			end--
		}
		b.WriteString(s[last:start])
		b.WriteString(f(name, s[start:end]))
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}

// replaceLocs calls f for each match located, with its submatches and indexes.
func replaceLocs(s string, locs [][]int, f func(m []string, idx []int) string) string {
	if locs == nil {
		return s
	}
	// A match left as it is goes out with the text after it: a text
	// nothing was replaced in is returned as is, never copied (learning
	// secrets replaces nothing, and bodies run to tens of megabytes).
	var b strings.Builder
	last := 0
	for _, loc := range locs {
		m := make([]string, len(loc)/2)
		for i := range m {
			if loc[2*i] >= 0 {
				m[i] = s[loc[2*i]:loc[2*i+1]]
			}
		}
		rep := f(m, loc)
		if rep == m[0] {
			continue
		}
		b.WriteString(s[last:loc[0]])
		b.WriteString(rep)
		last = loc[1]
	}
	if last == 0 && b.Len() == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func replaceAt(s string, from, to int, with string) string {
	return s[:from] + with + s[to:]
}

func unescapeJSON(s string) string {
	return string(codec.UnescapeJSON([]byte(s)))
}

// bearerSet finds "bearer" in any case, as strings.ToLower would.
var bearerSet = newPartSet([]string{"bearer"})

// tokens blanks JWTs, bearer credentials and provider keys in free text.
func tokens(s string) string {
	s = blankKeys(s)
	if strings.Contains(s, "eyJ") {
		s = jwtRE.ReplaceAllString(s, Placeholder)
	}
	if bearerSet.in(s) {
		s = bearerRE.ReplaceAllString(s, "${1}${2}"+Placeholder)
	}
	if strings.Contains(s, "@") && strings.Contains(s, "://") {
		s = userinfoRE.ReplaceAllString(s, "${1}"+Placeholder+"${3}")
	}
	return s
}
