package redact

import (
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// harvestCookie learns a cookie. Session-named cookies are secrets
// everywhere; a first-party HttpOnly cookie with another name is blanked
// wherever cookies travel, but its value is not hunted elsewhere: scripts
// cannot read it, so where it shows up in a URL or body the server put it
// there on purpose (a user ID sent on to a tracker), which is evidence.
func (r *redactor) harvestCookie(ck traffic.Cookie, host string) {
	domain := ck.Domain
	if domain == "" {
		domain = host
	}
	if sessionCookie(ck.Name) {
		r.secrets.add(ck.Value, minHarvested)
	}
	if ck.HTTPOnly {
		r.httpOnly = append(r.httpOnly, cookieAt{ck.Name, domain})
	}
}

func (r *redactor) harvestRequest(q *traffic.Request) {
	host := hostOf(q.URL)
	r.harvestText(q.URL)
	for _, ck := range q.Cookies {
		r.harvestCookie(ck, host)
	}
	for _, h := range q.Headers {
		r.harvestHeader(h.Name, h.Value, host)
	}
	for _, p := range q.Params {
		if secretPair(p.Name, p.Value) {
			r.secrets.add(p.Value, minFor(p.Name))
		}
	}
	r.harvestText(string(decodedBody(q.Body, q.Headers.Get("Content-Encoding"))))
	for _, f := range q.WebSocket {
		r.harvestText(string(f.Data))
	}
	if q.Response != nil {
		for _, ck := range q.Response.Cookies {
			r.harvestCookie(ck, host)
		}
		for _, h := range q.Response.Headers {
			r.harvestHeader(h.Name, h.Value, host)
		}
		if !staticMIME(q.Response.MIME) {
			r.harvestText(string(q.Response.Body))
		}
		r.harvestText(q.Response.RedirectURL)
	}
}

// maxSessionNames bounds the cookie names whose sessionCookie answer a
// redactor keeps, and maxSessionName their length.
const (
	maxSessionNames = 1 << 12
	maxSessionName  = 64
)

// sessionName is sessionCookie, remembered for the names a capture's
// Cookie headers repeat on every request.
func (r *redactor) sessionName(n string) bool {
	if v, ok := r.sessionNames[n]; ok {
		return v
	}
	v := sessionCookie(n)
	if len(r.sessionNames) < maxSessionNames && len(n) <= maxSessionName {
		r.sessionNames[n] = v
	}
	return v
}

// harvestHeader learns secrets from one header line.
func (r *redactor) harvestHeader(name, value, host string) {
	switch {
	case strings.EqualFold(name, "cookie"):
		if !r.learned.first(kindCookieHeader, value) {
			return
		}
		eachCookie(value, func(n, v string) {
			if r.sessionName(n) {
				r.secrets.add(v, minHarvested)
			}
		})
	case strings.EqualFold(name, "set-cookie"):
		for _, line := range strings.Split(value, "\n") {
			n, v, httpOnly, _ := setCookieHeader(line)
			domain := setCookieDomain(line)
			if domain == "" {
				domain = host
			}
			r.harvestCookie(traffic.Cookie{Name: n, Value: v, Domain: domain, HTTPOnly: httpOnly}, host)
		}
	case credentialHeader(name):
		_, vals := credential(value)
		for i, v := range vals {
			if i == 0 {
				r.secrets.add(v, minHarvested)
			} else {
				r.secrets.add(v, minPassword) // a Basic credential's password
			}
		}
	default:
		r.harvestText(value)
	}
}

// harvestText learns secret-named fields, JWTs and bearer tokens in text
// and in every layer inside it (a page URL nested URL-encoded in a pixel's
// dl= parameter carries the page's own parameters; a base64 or gzip body
// its JSON fields).
func (r *redactor) harvestText(s string) {
	if s == "" || !r.learned.first(kindText, s) {
		return
	}
	learn := func(s string) string {
		fields(s, func(k, v string) string {
			r.secrets.add(v, minFor(k))
			return v
		})
		r.secrets.harvestTokens(s)
		return s
	}
	newLayered(learn, r.held, "redacted", &r.inf).rewrite(s, 0)
}

// staticMIME reports response types that carry no visitor secret of their
// own (scripts, styles, media, fonts): searching them, often megabytes of
// code full of the words "token" and "password", would cost most of an
// analysis and harvest only false secrets. Their bodies are still redacted
// of secrets learned elsewhere.
func staticMIME(mime string) bool {
	m := strings.ToLower(mime)
	for _, p := range []string{"javascript", "ecmascript", "text/css", "image/", "font/", "video/", "audio/", "application/wasm", "application/font"} {
		if strings.Contains(m, p) {
			return true
		}
	}
	return false
}
