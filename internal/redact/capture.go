package redact

import (
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Options configures redaction. The zero value redacts by the built-in
// rules only.
type Options struct {
	// Secrets are literal values to remove everywhere, e.g. the password the
	// scan typed. Values shorter than 3 bytes are ignored.
	Secrets []string
	// FirstParty lists the site's registrable domains, whose HttpOnly cookies
	// are treated as session cookies. Empty: the domains of the pages.
	FirstParty []string
}

// redactor holds what the harvest pass learned.
type redactor struct {
	firstParty  map[string]bool
	cookieNames map[string]bool // names whose values are secret
	secrets     secretSet
	rep         interface{ Replace(string) string }
}

func newRedactor(opts Options) *redactor {
	r := &redactor{firstParty: map[string]bool{}, cookieNames: map[string]bool{}, secrets: secretSet{}}
	for _, d := range opts.FirstParty {
		r.firstParty[registrable(d)] = true
	}
	for _, s := range opts.Secrets {
		r.secrets.add(s, minExplicit)
	}
	return r
}

func registrable(host string) string {
	host = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(host), "."))
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Hostname()
	}
	return ""
}

// secretCookie reports whether a cookie's value must go: a session-like
// name, a name learned as secret, or HttpOnly on the first party.
func (r *redactor) secretCookie(name string, httpOnly bool, domain string) bool {
	if sessionCookie(name) || r.cookieNames[name] {
		return true
	}
	if httpOnly && domain != "" && r.firstParty[registrable(domain)] {
		r.cookieNames[name] = true
		return true
	}
	return false
}

// Capture returns a redacted deep copy of c; c is not modified.
func Capture(c *traffic.Capture, opts Options) *traffic.Capture {
	if c == nil {
		return nil
	}
	r := newRedactor(opts)
	if len(opts.FirstParty) == 0 {
		for _, p := range c.Pages {
			if h := hostOf(p.URL); h != "" {
				r.firstParty[registrable(h)] = true
			}
		}
	}
	r.harvestCapture(c)
	r.rep = r.secrets.replacer()
	return r.copyCapture(c)
}

func (r *redactor) harvestCapture(c *traffic.Capture) {
	// Cookie attributes first, so names learned from the jar and from
	// Set-Cookie are known when Cookie headers are read.
	for _, ck := range c.Cookies {
		r.harvestCookie(ck, "")
	}
	for _, q := range c.Requests {
		host := hostOf(q.URL)
		for _, ck := range q.Cookies {
			r.harvestCookie(ck, host)
		}
		if q.Response != nil {
			for _, ck := range q.Response.Cookies {
				r.harvestCookie(ck, host)
			}
			for _, h := range q.Response.Headers {
				r.harvestHeader(h.Name, h.Value, host)
			}
		}
	}
	for _, q := range c.Requests {
		r.harvestRequest(q)
	}
	for _, s := range c.Storage {
		if secretField(s.Key) || sessionCookie(s.Key) {
			r.secrets.add(s.Value, minHarvested)
		}
		r.harvestText(s.Value)
	}
}

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
	if r.secretCookie(ck.Name, ck.HTTPOnly, domain) && sessionCookie(ck.Name) {
		r.secrets.add(ck.Value, minHarvested)
	}
}

func (r *redactor) harvestRequest(q *traffic.Request) {
	host := hostOf(q.URL)
	r.harvestText(q.URL)
	for _, h := range q.Headers {
		r.harvestHeader(h.Name, h.Value, host)
	}
	for _, p := range q.Params {
		if secretField(p.Name) {
			r.secrets.add(p.Value, minFor(p.Name))
		}
	}
	if body, _, ok := decodeBody(q.Body, q.Headers.Get("Content-Encoding")); ok {
		r.harvestText(string(body))
	}
	for _, f := range q.WebSocket {
		r.harvestText(string(f.Data))
	}
	if q.Response != nil {
		if body, _, ok := decodeBody(q.Response.Body, ""); ok {
			r.harvestText(string(body))
		}
		r.harvestText(q.Response.RedirectURL)
	}
}

// harvestHeader learns secrets from one header line.
func (r *redactor) harvestHeader(name, value, host string) {
	switch {
	case strings.EqualFold(name, "cookie"):
		cookieHeader(value, func(n, v string) string {
			if sessionCookie(n) {
				r.secrets.add(v, minHarvested)
			}
			return v
		})
	case strings.EqualFold(name, "set-cookie"):
		for _, line := range strings.Split(value, "\n") {
			n, v, httpOnly, _ := setCookieHeader(line)
			domain := setCookieDomain(line)
			if domain == "" {
				domain = host
			}
			if r.secretCookie(n, httpOnly, domain) && sessionCookie(n) {
				r.secrets.add(v, minHarvested)
			}
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

// harvestText learns secret-named fields, JWTs and bearer tokens in text.
func (r *redactor) harvestText(s string) {
	for range 3 {
		if s == "" {
			return
		}
		fields(s, func(k, v string) string {
			r.secrets.add(v, minFor(k))
			return v
		})
		r.secrets.harvestTokens(s)
		// Look again inside URL-encoded text: a page URL nested in a
		// pixel's dl= parameter carries the page's own parameters.
		if !strings.Contains(s, "%") {
			return
		}
		d, err := url.QueryUnescape(s)
		if err != nil || d == s {
			return
		}
		s = d
	}
}

// text rewrites free text: secret fields, then known secrets, then tokens.
func (r *redactor) text(s string) string {
	if s == "" {
		return s
	}
	s = fields(s, func(_, v string) string {
		if v == "" {
			return v
		}
		return Placeholder
	})
	return tokens(r.rep.Replace(s))
}

// header rewrites one header value.
func (r *redactor) header(name, value string) string {
	switch {
	case strings.EqualFold(name, "cookie"):
		value = cookieHeader(value, func(n, v string) string {
			if r.secretCookie(n, false, "") {
				return Placeholder
			}
			return v
		})
	case strings.EqualFold(name, "set-cookie"):
		lines := strings.Split(value, "\n")
		for i, line := range lines {
			n, _, _, rewrite := setCookieHeader(line)
			if r.secretCookie(n, false, "") {
				lines[i] = rewrite(Placeholder)
			}
		}
		value = strings.Join(lines, "\n")
	case credentialHeader(name):
		return redactCredential(value)
	}
	return tokens(r.rep.Replace(value))
}
