package crawl

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// DefaultConsentWait bounds the wait for a consent choice to take.
const DefaultConsentWait = 5 * time.Second

// ConsentRule is one consent platform as a live scan answers it: a row of
// the caller's platform table (internal/consent's, turned into this type
// by the command, since crawl imports no analysis package).
type ConsentRule struct {
	Name string
	// Globals are JavaScript names (dotted paths allowed) whose presence
	// shows the platform; a framework's API (__tcfapi) belongs only to
	// the framework's rule.
	Globals []string
	// Banner are selectors of the platform's banner; it is shown when one
	// matches a visible element (open shadow roots and same-origin frames
	// included).
	Banner []string
	// Cookies hold the choice once made; a trailing "*" matches a prefix.
	Cookies        []string
	Reject, Accept ConsentAnswer
}

// ConsentAnswer is how a banner is answered: API, a JavaScript expression
// calling the platform's own API, is tried first; else a click on the
// first visible element of Selectors, inside the iframe Frame selects when
// it is set (a cross-origin one through its own target).
type ConsentAnswer struct {
	API       string
	Selectors []string
	Frame     string
}

// framework reports whether r names a signalling framework (TCF, GPP,
// USP) rather than a banner: it has neither banner nor answers.
func (r ConsentRule) framework() bool {
	return len(r.Banner) == 0 && r.Reject.empty() && r.Accept.empty()
}

func (a ConsentAnswer) empty() bool { return a.API == "" && len(a.Selectors) == 0 }

//go:embed js/consent.js
var consentJS string

// consentExpr is the expression calling one method of js/consent.js with
// JSON arguments.
func consentExpr(method string, args ...any) (string, error) {
	parts := make([]string, len(args))
	for i, a := range args {
		b, err := json.Marshal(a)
		if err != nil {
			return "", fmt.Errorf("consent script argument: %w", err)
		}
		parts[i] = string(b)
	}
	return "(" + stripComments(consentJS) + ")()." + method + "(" + strings.Join(parts, ",") + ")", nil
}

// consentScriptTimeout bounds one call of js/consent.js: a page that
// breaks its timers or never answers the TCF API cannot hold the scan.
const consentScriptTimeout = 3 * time.Second

// consentCall evaluates one method of js/consent.js into out.
func consentCall(ctx context.Context, eval func(context.Context, string) (json.RawMessage, error), method string, out any, args ...any) error {
	js, err := consentExpr(method, args...)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, consentScriptTimeout)
	defer cancel()
	raw, err := eval(ctx, js)
	if err != nil {
		return fmt.Errorf("consent %s: %w", method, err)
	}
	return jsonInto(raw, out)
}

func jsonInto(raw []byte, out any) error {
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("consent script answer: %w", err)
	}
	return nil
}

// ruleSeen is what the page shows of one platform.
type ruleSeen struct {
	Present bool `json:"present"`
	Shown   bool `json:"shown"`
}

// tcfSeen is what the page's TCF API says.
type tcfSeen struct {
	DisplayStatus string `json:"displayStatus"`
	TCString      string `json:"tcString"`
}

type jsRule struct {
	Globals []string `json:"globals"`
	Banner  []string `json:"banner"`
}

func detectConsent(ctx context.Context, tab *browser.Tab, rules []ConsentRule) ([]ruleSeen, error) {
	js := make([]jsRule, len(rules))
	for i, r := range rules {
		js[i] = jsRule{Globals: r.Globals, Banner: r.Banner}
	}
	var seen []ruleSeen
	if err := consentCall(ctx, tab.Eval, "detect", &seen, js); err != nil {
		return nil, err
	}
	if len(seen) != len(rules) {
		return nil, errors.New("consent detect: the page answered for the wrong number of rules")
	}
	return seen, nil
}

// consent examines the page the tab shows, once per page, and in mode
// reject or accept answers each banner shown. What it did is kept by page
// and put on the capture's pages at the end; a banner it could not answer
// is also a warning.
func (c *crawler) consent(ctx context.Context, tab *browser.Tab) {
	page := tab.Page()
	if len(c.o.ConsentRules) == 0 || page == nil || !c.firstConsentLook(page.ID) {
		return
	}
	seen, err := detectConsent(ctx, tab, c.o.ConsentRules)
	if err != nil {
		c.warn("consent: could not examine %s for consent banners: %v", page.URL, err)
		return
	}
	cmp := false
	for i, r := range c.o.ConsentRules {
		if d := seen[i]; d.Present && !r.framework() {
			cmp = true
			c.recordConsent(page, c.answer(ctx, tab, r, d.Shown))
		}
	}
	if cmp {
		return
	}
	// A framework's API without a CMP of the table: the TCF API says
	// whether its banner shows, but nothing here can answer it.
	var tcf *tcfSeen
	for i, r := range c.o.ConsentRules {
		if !seen[i].Present || !r.framework() {
			continue
		}
		if hasGlobal(r, "__tcfapi") && tcf == nil {
			if err := consentCall(ctx, tab.Eval, "tcf", &tcf); err != nil {
				c.warn("consent: the TCF API of %s did not answer: %v", page.URL, err)
			}
		}
		shown := tcf != nil && tcf.DisplayStatus == "visible" && hasGlobal(r, "__tcfapi")
		act := c.unanswered(tab, r.Name, shown, "a CMP no rule of the table knows; cannot answer it")
		c.recordConsent(page, act)
	}
}

func hasGlobal(r ConsentRule, g string) bool {
	for _, x := range r.Globals {
		if x == g {
			return true
		}
	}
	return false
}

// unanswered is the action for a platform the scan does not answer: left
// alone in mode none, not shown, or shown with nothing to answer it by.
func (c *crawler) unanswered(tab *browser.Tab, platform string, shown bool, why string) traffic.ConsentAction {
	act := traffic.ConsentAction{Platform: platform, Action: c.o.Consent, Time: time.Now().UTC(),
		Index: tab.Context().Requests(), Result: traffic.ConsentNotShown}
	switch {
	case !shown:
	case c.o.Consent == traffic.ConsentNone:
		act.Result = traffic.ConsentShown
	default:
		act.Result, act.Detail = traffic.ConsentNotFound, why
	}
	return act
}

// firstConsentLook reports whether the page was not examined yet.
func (c *crawler) firstConsentLook(pageID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.consentSeen[pageID] {
		return false
	}
	c.consentSeen[pageID] = true
	return true
}

// recordConsent keeps act for the page and warns about a banner that
// could not be answered.
func (c *crawler) recordConsent(page *traffic.Page, act traffic.ConsentAction) {
	act.Detail = clip(act.Detail, maxConsentDetail)
	c.mu.Lock()
	c.consentActs[page.ID] = append(c.consentActs[page.ID], act)
	c.mu.Unlock()
	c.o.Logger.Info("consent", "url", page.URL, "platform", act.Platform, "action", act.Action, "result", act.Result)
	if act.Result == traffic.ConsentNotFound || act.Result == traffic.ConsentFailed {
		c.warn("consent: %s banner on %s not answered (%s): %s", act.Platform, page.URL, act.Result, act.Detail)
	}
}

// maxConsentDetail caps an action's Detail: parts of it come from the page
// (frame URLs, what the page's script answered).
const maxConsentDetail = 500

// clip shortens s to at most n bytes at a rune boundary, marking the cut.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// applyConsent puts the recorded actions on the capture's pages.
func (c *crawler) applyConsent(capture *traffic.Capture) {
	capture.Consent = c.o.Consent
	for _, p := range capture.Pages {
		p.Consent = append(p.Consent, c.consentActs[p.ID]...)
	}
}
