package redact

import (
	"net/url"
	"strings"
	"sync"

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

// redactor holds what the learning pass found.
type redactor struct {
	firstParty  map[string]bool
	autoFirst   bool            // firstParty comes from the pages seen
	cookieNames map[string]bool // names whose values are secret
	httpOnly    []cookieAt      // HttpOnly cookies seen, resolved by finish
	secrets     secretSet
	// learned remembers the texts already learned from. Learning from a
	// text only adds to the secrets, and adds the same whatever was
	// learned before, so learning from it again changes nothing: a
	// capture repeats its headers (User-Agent, client hints, Referer, a
	// host's cookies) on every request, and a report the URLs and headers
	// the capture held; each is read once.
	learned *hashSet
	// sessionNames remembers sessionCookie's answer per cookie name.
	sessionNames map[string]bool
	rep          interface{ Replace(string) string }
	// inf serves every layer walk (the learner's, the filter's and
	// Report's); a redactor is used by one goroutine at a time.
	inf decoders
}

// cookieAt is a cookie name and the domain that set it.
type cookieAt struct{ name, domain string }

func newRedactor(opts Options) *redactor {
	r := &redactor{firstParty: map[string]bool{}, cookieNames: map[string]bool{}, secrets: secretSet{}, sessionNames: map[string]bool{},
		learned: newHashSet(maxLearned), autoFirst: len(opts.FirstParty) == 0}
	r.inf.dead = newHashSet(maxDeadEnds)
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
	return httpOnly && domain != "" && r.firstParty[registrable(domain)]
}

// finish resolves what needs the whole capture and builds the replacer.
func (r *redactor) finish() {
	if r.rep != nil {
		return
	}
	for _, c := range r.httpOnly {
		if r.firstParty[registrable(c.domain)] {
			r.cookieNames[c.name] = true
		}
	}
	r.rep = r.secrets.replacer()
}

// Capture returns a redacted deep copy of c; c is not modified.
func Capture(c *traffic.Capture, opts Options) *traffic.Capture {
	if c == nil {
		return nil
	}
	x := NewRedactor(opts)
	c.Visit(x.Learner()) // the learner never fails
	var out traffic.Collector
	c.Visit(x.Filter(&out))
	return &out.Capture
}

// Redactor redacts a capture streamed twice, for captures too big to hold
// in memory (a HAR file read with har.Stream): feed the whole capture to
// Learner first, then stream it again through Filter.
type Redactor struct {
	r *redactor

	mu    sync.Mutex
	async *asyncLearner // Tee's learner, running until settle
}

// NewRedactor starts a two-pass redaction.
func NewRedactor(opts Options) *Redactor { return &Redactor{r: newRedactor(opts)} }

// Learner returns the Visitor of the first pass, which only reads.
func (x *Redactor) Learner() traffic.Visitor {
	x.settle()
	return learner{x.r}
}

// Filter returns the Visitor of the second pass: it hands a redacted copy
// of each page, request and the capture's end to next.
func (x *Redactor) Filter(next traffic.Visitor) traffic.Visitor {
	x.settle()
	return filter{x.r, next}
}

// Tee returns a Visitor that learns from each piece and hands it on to next
// unchanged: put it in front of the audit while the capture streams by, then
// call Report on the result. Learning runs on a goroutine of its own, in
// order, behind a bounded queue; Report, Filter and Learner wait for it to
// finish what it was given. Pieces handed to the Tee must not be changed
// afterwards (the audit does not change them either).
func (x *Redactor) Tee(next traffic.Visitor) traffic.Visitor {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.async == nil {
		x.async = startAsync(learner{x.r})
	}
	return asyncTee{x.async, next}
}

// settle waits until the Tee's learner has learned everything it was
// given, so what the Redactor knows is complete; a later Tee starts anew.
func (x *Redactor) settle() {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.async != nil {
		x.async.stop()
		x.async = nil
	}
}

type learner struct{ r *redactor }

func (l learner) Page(p *traffic.Page) error {
	if h := hostOf(p.URL); h != "" && l.r.autoFirst {
		l.r.firstParty[registrable(h)] = true
	}
	l.r.harvestText(p.URL)
	return nil
}

func (l learner) Request(q *traffic.Request) error {
	l.r.harvestRequest(q)
	return nil
}

func (l learner) End(c *traffic.Capture) error {
	for _, ck := range c.Cookies {
		l.r.harvestCookie(ck, "")
	}
	for _, s := range c.Storage {
		if secretPair(s.Key, s.Value) || sessionCookie(s.Key) {
			l.r.secrets.add(s.Value, minHarvested)
		}
		l.r.harvestText(s.Value)
	}
	return nil
}

type filter struct {
	r    *redactor
	next traffic.Visitor
}

func (f filter) Page(p *traffic.Page) error {
	f.r.finish()
	return f.next.Page(f.r.page(p))
}

func (f filter) Request(q *traffic.Request) error {
	f.r.finish()
	return f.next.Request(f.r.request(q))
}

func (f filter) End(c *traffic.Capture) error {
	f.r.finish()
	return f.next.End(f.r.end(c))
}
