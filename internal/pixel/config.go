package pixel

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// maxConfigScan caps how much of a response body the config scans read.
const maxConfigScan = 2 << 20

// configEvidence is what one configuration response showed.
type configEvidence struct {
	vendor, product, account, host string
	// matchKeys are automaticMatching selectedMatchKeys; automatic is true
	// when automatic matching is configured or opted in.
	matchKeys []string
	automatic bool
	// details are the other settings, in the order seen.
	details  []Detail
	maskOff  []string
	requests map[int]bool
}

var (
	metaConfigSet = regexp.MustCompile(`config\.set\(\s*"(\d+)"\s*,\s*"(\w+)"\s*,\s*`)
	metaOptIn     = regexp.MustCompile(`instance\.optIn\(\s*"(\d+)"\s*,\s*"(\w+)"\s*,\s*(true|false)`)
)

// recordConfig reads configuration responses: Meta signals config scripts
// and session-replay settings.
func (a *Analyzer) recordConfig(r *traffic.Request, u *url.URL) {
	if r.Response == nil || len(r.Response.Body) == 0 {
		return
	}
	body := r.Response.Body
	if len(body) > maxConfigScan {
		body = body[:maxConfigScan]
	}
	switch {
	case hostIs(u, "connect.facebook.net") && pathHasPrefix(u, "/signals/config/"):
		a.recordMetaConfig(r.Index, pathSegment(u, 2), string(body))
	case replayVendor(u) != "":
		a.recordReplayConfig(r.Index, u, string(body))
	}
}

// recordMetaConfig parses a signals config script for pixel id.
func (a *Analyzer) recordMetaConfig(index int, id, js string) {
	e := a.metaConfig[id]
	if e == nil {
		id = strings.Clone(id)
		e = &configEvidence{vendor: "Meta", product: "Meta Pixel", account: id, requests: map[int]bool{}}
		a.metaConfig[id] = e
	}
	e.requests[index] = true
	for _, m := range metaConfigSet.FindAllStringSubmatchIndex(js, -1) {
		key := js[m[4]:m[5]]
		value := balancedJSON(js[m[1]:])
		switch key {
		case "automaticMatching":
			var v struct {
				SelectedMatchKeys []string `json:"selectedMatchKeys"`
			}
			if json.Unmarshal([]byte(value), &v) == nil {
				e.automatic = true
				e.matchKeys = v.SelectedMatchKeys
			}
		case "unwantedData", "protectedDataMode":
			e.details = append(e.details, Detail{strings.Clone(key), strings.Clone(truncate(value, 500))})
		}
	}
	for _, m := range metaOptIn.FindAllStringSubmatch(js, -1) {
		e.details = append(e.details, Detail{"optIn " + m[2], strings.Clone(m[3])})
		if m[2] == "AutomaticMatching" && m[3] == "true" {
			e.automatic = true
		}
	}
}

// balancedJSON returns the JSON object or array at the start of s, matched
// by brackets outside strings; "" when s does not start with one.
func balancedJSON(s string) string {
	if s == "" || (s[0] != '{' && s[0] != '[') {
		return ""
	}
	depth, inStr, esc := 0, false, false
	for i := 0; i < len(s) && i < maxConfigScan; i++ {
		c := s[i]
		switch {
		case esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth == 0 {
				return s[:i+1]
			}
		}
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func (a *Analyzer) configFindings() []Finding {
	var out []Finding
	for _, id := range sortedKeys(a.metaConfig) {
		e := a.metaConfig[id]
		f := Finding{Vendor: e.vendor, Product: e.product, Account: id, Host: "connect.facebook.net",
			Domain: "facebook.net", Requests: sortedInts(e.requests)}
		if e.automatic {
			f.Type = FindingAutomaticMatching
			f.Summary = "Meta Pixel " + id + " has automatic advanced matching on: it hashes and sends " +
				"values it finds in form fields (" + orNone(e.matchKeys) + ")."
			f.Details = append([]Detail{{"source", "config"}, {"automaticMatching", "on"},
				{"selectedMatchKeys", strings.Join(e.matchKeys, ",")}}, e.details...)
		} else {
			f.Type = FindingPixelConfig
			f.Summary = "Meta Pixel " + id + " configuration loaded; automatic advanced matching is off."
			f.Details = append([]Detail{{"source", "config"}, {"automaticMatching", "off"}}, e.details...)
		}
		out = append(out, f)
	}
	for _, h := range sortedKeys(a.replayConfig) {
		e := a.replayConfig[h]
		f := Finding{Type: FindingPixelConfig, Vendor: e.vendor, Product: e.product, Host: h,
			Domain: registrable(h), Details: e.details, Requests: sortedInts(e.requests)}
		f.Summary = e.product + " session-recording settings were loaded from " + h + "."
		if len(e.maskOff) > 0 {
			f.Summary = e.product + " session recording is configured with masking turned off (" +
				strings.Join(e.maskOff, "; ") + ")."
		}
		out = append(out, f)
	}
	return out
}

func orNone(keys []string) string {
	if len(keys) == 0 {
		return "no keys listed"
	}
	return strings.Join(keys, ", ")
}

// replaySetting is a session-replay privacy setting found in a settings
// response: key with the value that means masking is off.
type replaySetting struct {
	key, off, meaning string
}

// replaySettings are the keys read from replay vendors' settings responses
// (Hotjar site settings, PostHog decide/flags; best effort, unconfirmed).
var replaySettings = []replaySetting{
	{"recording_capture_keystrokes", "true", "keystrokes are recorded"},
	{"anonymize_digits", "false", "digits are not masked"},
	{"anonymize_emails", "false", "email addresses are not masked"},
	{"suppress_all", "false", "page text is not suppressed"},
	{"maskAllInputs", "false", "input values are recorded"},
	{"maskAllText", "false", "page text is recorded"},
	{"maskInputs", "false", "input values are recorded"},
	{"recordCanvas", "true", "canvas content is recorded"},
	{"consoleLogRecordingEnabled", "true", "console logs are recorded"},
	{"recordBody", "true", "network request bodies are recorded"},
	{"recordHeaders", "true", "network request headers are recorded"},
}

var replaySettingRe = regexp.MustCompile(`"?(\w+)"?\s*:\s*(true|false)\b`)

// recordReplayConfig notes replay privacy settings a response shows.
func (a *Analyzer) recordReplayConfig(index int, u *url.URL, body string) {
	known := map[string]replaySetting{}
	for _, s := range replaySettings {
		known[s.key] = s
	}
	var details []Detail
	var off []string
	seen := map[string]bool{}
	for _, m := range replaySettingRe.FindAllStringSubmatch(body, -1) {
		s, ok := known[m[1]]
		if !ok || seen[m[1]] {
			continue
		}
		seen[m[1]] = true
		details = append(details, Detail{strings.Clone(m[1]), strings.Clone(m[2])})
		if m[2] == s.off {
			off = append(off, s.meaning)
		}
	}
	if len(details) == 0 {
		return
	}
	h := strings.Clone(host(u))
	e := a.replayConfig[h]
	if e == nil {
		e = &configEvidence{vendor: replayVendor(u), product: replayVendor(u), host: h, requests: map[int]bool{}}
		a.replayConfig[h] = e
		e.details, e.maskOff = details, off
	}
	e.requests[index] = true
}
