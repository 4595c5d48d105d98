package redact

import (
	"encoding/base64"
	"strings"
)

// cookieHeader applies f to each name=value pair of a Cookie header and
// returns the rewritten header.
func cookieHeader(v string, f func(name, value string) string) string {
	parts := strings.Split(v, ";")
	for i, p := range parts {
		name, val, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		parts[i] = name + "=" + f(strings.TrimSpace(name), val)
	}
	return strings.Join(parts, ";")
}

// eachCookie calls f with each name=value pair of a Cookie header, as
// cookieHeader does, without rewriting the header.
func eachCookie(v string, f func(name, value string)) {
	for more := true; more; {
		var p string
		p, v, more = strings.Cut(v, ";")
		if name, val, ok := strings.Cut(p, "="); ok {
			f(strings.TrimSpace(name), val)
		}
	}
}

// setCookieHeader splits a Set-Cookie value into its name, value and
// whether it carries HttpOnly; rewrite returns it with a new value.
func setCookieHeader(v string) (name, value string, httpOnly bool, rewrite func(string) string) {
	first, attrs, _ := strings.Cut(v, ";")
	name, value, _ = strings.Cut(first, "=")
	for _, a := range strings.Split(attrs, ";") {
		if strings.EqualFold(strings.TrimSpace(a), "httponly") {
			httpOnly = true
		}
	}
	rewrite = func(nv string) string {
		out := name + "=" + nv
		if attrs != "" || strings.Contains(v, ";") {
			out += ";" + attrs
		}
		return out
	}
	return strings.TrimSpace(name), value, httpOnly, rewrite
}

// setCookieDomain returns the Domain attribute of a Set-Cookie value.
func setCookieDomain(v string) string {
	_, attrs, _ := strings.Cut(v, ";")
	for _, a := range strings.Split(attrs, ";") {
		k, val, _ := strings.Cut(strings.TrimSpace(a), "=")
		if strings.EqualFold(k, "domain") {
			return strings.TrimPrefix(strings.TrimSpace(val), ".")
		}
	}
	return ""
}

// credential splits "Scheme token" and also yields the password of a Basic
// credential, so either is found wherever else it appears.
func credential(v string) (scheme string, secrets []string) {
	v = strings.TrimSpace(v)
	scheme, tok, ok := strings.Cut(v, " ")
	if !ok || strings.ContainsAny(scheme, "=:/") {
		return "", []string{v}
	}
	tok = strings.TrimSpace(tok)
	secrets = []string{tok}
	if strings.EqualFold(scheme, "basic") {
		if dec, err := base64.StdEncoding.DecodeString(tok); err == nil {
			if _, pass, ok := strings.Cut(string(dec), ":"); ok {
				secrets = append(secrets, pass)
			}
		}
	}
	return scheme, secrets
}

// redactCredential keeps the scheme of an Authorization-like value.
func redactCredential(v string) string {
	if scheme, _ := credential(v); scheme != "" {
		return scheme + " " + Placeholder
	}
	return Placeholder
}
