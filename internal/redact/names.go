package redact

import (
	"strings"
	"unicode/utf8"
)

// Placeholder replaces every redacted value.
const Placeholder = "[REDACTED]"

// sessionCookieParts are substrings of cookie names that carry sessions or
// credentials. "auth" and "token" are matched as words instead (see
// sessionWord): "_pin_unauth" is Pinterest's identifier, not a login.
var sessionCookieParts = []string{"session", "sessid", "jwt", "csrf", "xsrf",
	"remember", "login", "logged_in", "wordpress_sec", "credential"}

// sessionCookieWords are whole words of cookie names (split at ".", "_",
// "-" and lower-to-upper case changes) that mark a session: "connect.sid"
// and "sid" are sessions, while "_uetsid" (Microsoft's analytics ID) is an
// identifier reports must keep.
var sessionCookieWords = []string{"sid", "sess", "ssid"}

// sessionWordPrefixes and sessionWordSuffixes mark a session word by how
// it starts or ends: "auth", "authToken", "auth0", "oauth_state",
// "accesstoken"; never "unauth".
var (
	sessionWordPrefixes = []string{"auth", "oauth"}
	sessionWordSuffixes = []string{"token"}
)

// knownSessionCookies are exact names of known login cookies (Meta's among
// them: a logged-in tester's Facebook session travels with every pixel hit).
var knownSessionCookies = []string{"c_user", "xs", "datr", "sb", "li_at", "hsid", "apisid", "sapisid", "user_session"}

// trackerCookies are exact names of vendors' visitor-identifier cookies:
// the evidence of a finding, never secrets, whatever words they contain.
// Meta's "fr" is its advertising browser ID; "_pin_unauth" Pinterest's.
var trackerCookies = []string{"fr", "_fbp", "_fbc", "_pin_unauth", "_pinterest_ct_ua", "_pinterest_sess_id",
	"_ga", "_gid", "_gat", "_gcl_au", "_gcl_aw", "_gcl_dc", "__gads", "__gpi", "ide", "test_cookie", "nid", "anid",
	"_uetvid", "_uetsid", "muid", "_ttp", "_tt_enable_cookie", "ttcsid", "_scid", "_rdt_uuid", "_hjid",
	"ajs_anonymous_id", "ajs_user_id", "_clck", "_clsk", "_kuid_", "uuid2", "tuuid", "_lfa", "li_sugr", "bcookie",
	// Visitor and visit IDs named "session": Wix's analytics (svSession,
	// bSession), Decibel Insight's (da_sid, da_lid), Invoca's call
	// tracking, Adobe Analytics' visit cookie.
	"svsession", "bsession", "da_sid", "da_lid", "invoca_session", "s_sess"}

// trackerCookiePrefixes start vendors' per-property identifier cookies
// (Google Analytics 4's "_ga_<stream>", Hotjar's "_hjSessionUser_<site>",
// Matomo's "_pk_id.<site>", Medallia's "kampyleUserSession", a timestamp,
// Jornaya's lead ID "leadid_token-<campaign>").
var trackerCookiePrefixes = []string{"_ga_", "_hjsession_", "_hjsessionuser_", "_pk_id.", "_pk_ses.", "_uet", "kampyle",
	"leadid_token-"}

// sessionCookie reports whether a cookie name looks like a session or
// credential cookie.
func sessionCookie(name string) bool {
	n := strings.TrimSpace(name)
	if n == "" || trackerCookie(n) {
		return false
	}
	if hasPrefixFold(n, "__host-") || hasPrefixFold(n, "__secure-") || equalsAnyFold(n, knownSessionCookies) ||
		sessionCookiePartSet.in(n) {
		return true
	}
	for _, w := range nameWords(n) {
		if sessionWord(w) {
			return true
		}
	}
	return false
}

// trackerCookie reports whether a cookie name is a vendor's identifier.
func trackerCookie(n string) bool {
	if equalsAnyFold(n, trackerCookies) {
		return true
	}
	for _, p := range trackerCookiePrefixes {
		if hasPrefixFold(n, p) {
			return true
		}
	}
	return false
}

// sessionWord reports whether one word of a cookie name marks a session.
func sessionWord(w string) bool {
	if equalsAnyFold(w, sessionCookieWords) {
		return true
	}
	lw := strings.ToLower(w)
	for _, p := range sessionWordPrefixes {
		if strings.HasPrefix(lw, p) {
			return true
		}
	}
	for _, p := range sessionWordSuffixes {
		if strings.HasSuffix(lw, p) {
			return true
		}
	}
	return false
}

// nameWords splits a name at ".", "_", "-" and where a lowercase letter is
// followed by an uppercase one ("authToken": "auth", "Token").
func nameWords(n string) []string {
	var words []string
	start := 0
	for i := 0; i <= len(n); i++ {
		switch {
		case i == len(n) || n[i] == '.' || n[i] == '_' || n[i] == '-':
			if i > start {
				words = append(words, n[start:i])
			}
			start = i + 1
		case i > start && n[i] >= 'A' && n[i] <= 'Z' && n[i-1] >= 'a' && n[i-1] <= 'z':
			words = append(words, n[start:i])
			start = i
		}
	}
	return words
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func equalsAnyFold(s string, list []string) bool {
	for _, x := range list {
		if strings.EqualFold(s, x) {
			return true
		}
	}
	return false
}

// credentialHeaders are request and response headers whose whole value is a
// credential.
var credentialHeaders = []string{"authorization", "proxy-authorization", "x-api-key", "x-auth-token", "x-csrf-token",
	"x-xsrf-token", "x-csrftoken", "x-access-token", "x-amz-security-token", "x-goog-api-key", "api-key", "apikey"}

var credentialHeaderParts = []string{"token", "secret", "api-key", "apikey", "password", "x-auth", "session", "csrf", "xsrf"}

// credentialHeader reports whether a header's value is a credential.
// Pseudo-headers such as :authority never are.
func credentialHeader(name string) bool {
	n := strings.TrimSpace(name)
	if n == "" || n[0] == ':' {
		return false
	}
	return equalsAnyFold(n, credentialHeaders) || credentialHeaderPartSet.in(n)
}

// secretFieldParts are substrings of form, JSON, query and storage key names
// whose values are secrets: passwords and tokens.
var secretFieldParts = []string{"pass", "pwd", "token", "secret", "apikey", "api_key", "api-key", "authorization",
	"csrf", "xsrf", "jwt", "credential", "sessid", "session_key", "private_key", "otp_code"}

// publicKeyFields are field names that analytics and payment SDKs use for
// their project or publishable key (Mixpanel's and Klaviyo's "token",
// Stripe's and widgets' "apiKey"): account IDs that reports must show, not
// the visitor's secrets. A JWT in them is still caught by the token rule.
var publicKeyFields = []string{"token", "api_key", "apikey", "api-key", "authentication[apikey]"}

// secretField reports whether a field name holds a secret.
func secretField(name string) bool {
	return name != "" && !equalsAnyFold(name, publicKeyFields) && secretFieldPartSet.in(name)
}

func containsAny(s string, parts []string) bool {
	for _, p := range parts {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// Sets of the lists above, each read in one pass (see partSet).
var (
	sessionCookiePartSet    = newPartSet(sessionCookieParts)
	credentialHeaderPartSet = newPartSet(credentialHeaderParts)
	secretFieldPartSet      = newPartSet(secretFieldParts)
)

// A text holding one of the two runes that lowercase to ASCII is
// lowercased a megabyte at a time (a body of tens of megabytes is not
// copied whole), overlapping by more than any part can span.
const foldChunk, foldOverlap = 1 << 20, 64

// lowerASCII maps a byte to its ASCII lowercase.
var lowerASCII = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if i >= 'A' && i <= 'Z' {
			t[i] += 'a' - 'A'
		}
	}
	return t
}()

// containsAnyFoldUnicode reports whether strings.ToLower(s) contains any
// of parts: a long text is lowercased a chunk at a time, cut where no rune
// is.
func containsAnyFoldUnicode(s string, parts []string, chunk, overlap int) bool {
	for lo := 0; lo < len(s); {
		hi := runeCut(s, min(len(s), lo+chunk))
		ls := strings.ToLower(s[lo:hi])
		for _, p := range parts {
			if strings.Contains(ls, p) {
				return true
			}
		}
		if hi == len(s) {
			break
		}
		lo = runeCut(s, hi-overlap)
	}
	return false
}

// runeCut moves i back to where cutting s changes no rune's decoding: a
// rune's first byte, or a byte no valid sequence could span (three
// continuation bytes in a row).
func runeCut(s string, i int) int {
	for k := 0; k < 3 && i > 0 && i < len(s) && !utf8.RuneStart(s[i]); k++ {
		i--
	}
	return i
}
