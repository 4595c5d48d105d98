package redact

import (
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// text rewrites free text and every encoded layer inside it.
func (r *redactor) text(s string) string {
	if s == "" {
		return s
	}
	return r.layered().rewrite(s, 0)
}

// layered is the layer walker of redaction.
func (r *redactor) layered() *layered {
	return newLayered(r.flat, r.held, "redacted", &r.inf)
}

// flat rewrites one layer of text: secret fields, then known secrets, then
// tokens.
func (r *redactor) flat(s string) string {
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
	return r.text(value)
}

func (r *redactor) page(p *traffic.Page) *traffic.Page {
	np := *p
	np.URL, np.Title, np.Error = r.text(p.URL), r.text(p.Title), r.text(p.Error)
	np.Screenshot = slices.Clone(p.Screenshot)
	return &np
}

// end redacts the capture-level data the Visitor's End carries.
func (r *redactor) end(c *traffic.Capture) *traffic.Capture {
	out := &traffic.Capture{
		Source:   r.text(c.Source),
		Creator:  c.Creator,
		Browser:  c.Browser,
		Cookies:  r.cookies(c.Cookies),
		Warnings: r.texts(c.Warnings),
		// The consent mode and opt-out signals hold no visitor data.
		Consent: c.Consent,
		OptOut:  c.OptOut,
	}
	for _, s := range c.Storage {
		if secretPair(s.Key, s.Value) || sessionCookie(s.Key) {
			s.Value = Placeholder
		} else {
			s.Value = r.text(s.Value)
		}
		s.Origin = r.text(s.Origin)
		out.Storage = append(out.Storage, s)
	}
	return out
}

func (r *redactor) request(q *traffic.Request) *traffic.Request {
	n := *q
	n.FrameURL = r.text(q.FrameURL)
	n.URL = r.text(q.URL)
	n.Headers = r.headers(q.Headers)
	n.Cookies = r.cookies(q.Cookies)
	n.Body = r.body(q.Body, q.Headers.Get("Content-Encoding"))
	n.Error = r.text(q.Error)
	n.Params = nil
	for _, p := range q.Params {
		if secretPair(p.Name, p.Value) {
			p.Value = Placeholder
		} else {
			p.Value = r.text(p.Value)
		}
		p.Name, p.FileName = r.text(p.Name), r.text(p.FileName)
		n.Params = append(n.Params, p)
	}
	n.Initiator = q.Initiator
	n.Initiator.URL = r.text(q.Initiator.URL)
	n.Initiator.Stack = nil
	for _, f := range q.Initiator.Stack {
		f.URL = r.text(f.URL)
		n.Initiator.Stack = append(n.Initiator.Stack, f)
	}
	n.WebSocket = nil
	for _, f := range q.WebSocket {
		f.Data = r.bytes(f.Data)
		n.WebSocket = append(n.WebSocket, f)
	}
	if q.Response != nil {
		resp := *q.Response
		resp.Headers = r.headers(q.Response.Headers)
		resp.Cookies = r.cookies(q.Response.Cookies)
		resp.Body = r.body(q.Response.Body, "")
		resp.RedirectURL = r.text(q.Response.RedirectURL)
		n.Response = &resp
	}
	return &n
}

func (r *redactor) headers(hs traffic.Headers) traffic.Headers {
	if hs == nil {
		return nil
	}
	out := make(traffic.Headers, len(hs))
	for i, h := range hs {
		out[i] = traffic.Header{Name: h.Name, Value: r.header(h.Name, h.Value)}
	}
	return out
}

func (r *redactor) cookies(cs []traffic.Cookie) []traffic.Cookie {
	if cs == nil {
		return nil
	}
	out := make([]traffic.Cookie, len(cs))
	for i, c := range cs {
		if r.secretCookie(c.Name, c.HTTPOnly, c.Domain) {
			c.Value = Placeholder
		} else {
			c.Value = r.text(c.Value)
		}
		out[i] = c
	}
	return out
}

func (r *redactor) texts(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = r.text(s)
	}
	return out
}

// held names what a text a marker replaces held: a password or secret
// field, a known secret, or a credential by its shape.
func (r *redactor) held(decoded string) string {
	kind := ""
	fields(decoded, func(k, v string) string {
		if kind == "" {
			kind = "a secret field (" + k + ")"
			if minFor(k) == minPassword {
				kind = "a password"
			}
		}
		return v
	})
	switch {
	case kind != "":
		return kind
	case r.rep.Replace(decoded) != decoded:
		return "a secret seen elsewhere in the capture"
	}
	return "a credential"
}
