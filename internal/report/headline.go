package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// Headline states, from worst to best. Only "good" is an all-clear, and
// only when a persona was searched for in a complete capture and nothing
// personal left.
const (
	stateBad     = "bad"     // persona data reached a third party
	stateWarn    = "warn"    // values that look personal, or session replay
	stateNeutral = "neutral" // nothing found, but not everything was checked
	stateGood    = "good"
)

// verdict is the headline every human format shows: what was observed,
// what was searched for and not found, and what could not be checked.
type verdict struct {
	State string
	// Title is the one sentence people read; Short is its few words for a
	// heading.
	Title, Short string
	// Observed lists what the capture shows, whatever was searched for:
	// companies contacted, pixel hits, identifier flows, session replay.
	Observed []string
	// NotFound names what was searched for and not found, or "".
	NotFound string
	// NotChecked are the sentences of what the analysis could not see.
	NotChecked []string
	// Hidden says how many lower-confidence pattern matches are not shown.
	Hidden string
}

// noPersonaSentence stands in for Summary.Unseen in reports written before
// it existed.
const noPersonaSentence = "No persona was given, so the tester's own values were not searched for; " +
	"only values that look personal were. Give --persona to search for them."

// verdict builds the headline from the view.
func (v *view) verdict() verdict {
	s := v.r.Summary
	persona := v.personaGiven()
	d := verdict{Observed: v.observed(), NotChecked: slices.Clone(s.Unseen)}
	if !persona && !slices.ContainsFunc(d.NotChecked, func(x string) bool { return strings.Contains(x, "persona") }) {
		d.NotChecked = append(d.NotChecked, noPersonaSentence)
	}
	cs, looks := v.withData(), v.withHighLooks()
	n := len(v.companies)
	switch {
	case len(cs) > 0:
		d.State = stateBad
		d.Title = fmt.Sprintf("%s received personal data (%s): %s.",
			plural(len(cs), "company", "companies"), joinWords(kindLabelList(v.kinds)), joinWords(companyNames(cs)))
		if len(v.pages) > 0 {
			d.Title += " It left from " + plural(len(v.pages), "page", "pages") + ": " + joinWords(v.pages) + "."
		}
		if len(looks) > 0 {
			d.Title += " " + looksSentence(v, looks, true)
		}
	case len(looks) > 0:
		d.State = stateWarn
		d.Title = looksSentence(v, looks, false)
	case n == 0:
		d.State = stateGood
		d.Title = "No third party received requests, and no personal data was found leaving the site."
	case !persona:
		d.State = stateNeutral
		d.Title = fmt.Sprintf("The site contacted %s; the tester's own data was not checked, because no persona was given.",
			plural(n, "third-party company", "third-party companies"))
	case len(d.NotChecked) > 0:
		d.State = stateNeutral
		d.Title = fmt.Sprintf("No persona value was found in what the capture recorded of the requests to the %s this site contacted.",
			plural(n, "third-party company", "third-party companies"))
	default:
		d.State = stateGood
		d.Title = fmt.Sprintf("No personal data was found going to the %s this site contacted.",
			plural(n, "third-party company", "third-party companies"))
	}
	if d.State == stateGood && (len(d.NotChecked) > 0 || len(v.replay()) > 0) {
		d.State = stateNeutral
	}
	if d.State == stateNeutral && len(v.replay()) > 0 {
		d.State = stateWarn
	}
	d.NotFound = v.notFound(persona)
	d.Short = v.short(d.State, persona)
	if v.hidden > 0 {
		d.Hidden = fmt.Sprintf("%s not shown; --verbose shows them with the reason.",
			plural(v.hidden, "lower-confidence pattern match", "lower-confidence pattern matches"))
	}
	return d
}

// personaGiven reports whether persona values were searched for. Reports
// written before Summary.Personas existed show it by their leaks.
func (v *view) personaGiven() bool {
	return v.r.Summary.Personas > 0 || v.r.Summary.Leaks > 0 || len(v.leaks) > 0
}

// short is the few words of a heading.
func (v *view) short(state string, persona bool) string {
	switch {
	case state == stateBad:
		return plural(len(v.withData()), "company", "companies") + " received personal data"
	case len(v.withHighLooks()) > 0:
		return plural(len(v.withHighLooks()), "company", "companies") + " received values that look personal"
	case len(v.replay()) > 0:
		return "the session was recorded by " + joinWords(v.replay())
	case len(v.companies) == 0:
		return "no third-party requests"
	case !persona:
		return "not checked for the tester's own data (no persona given)"
	case state == stateNeutral:
		return "no persona value found in what the capture recorded"
	}
	return "no personal data sent to third parties"
}

// observed lists what the capture shows beside personal data.
func (v *view) observed() []string {
	r := v.r
	var out []string
	out = append(out, fmt.Sprintf("%s, %d to %s", plural(r.Summary.Requests, "request", "requests"),
		r.Summary.ThirdPartyRequests, plural(len(v.companies), "third-party company", "third-party companies")))
	if n := len(r.Pixels); n > 0 {
		var products []string
		for _, h := range r.Pixels {
			products = appendNew(products, h.Product)
		}
		const maxProducts = 6
		if len(products) > maxProducts {
			products = append(products[:maxProducts], plural(len(products)-maxProducts, "more product", "more products"))
		}
		out = append(out, fmt.Sprintf("%s (%s)", plural(n, "pixel hit", "pixel hits"), joinWords(products)))
	}
	if groups := syncGroups(v, v.flows()); len(groups) > 0 {
		out = append(out, fmt.Sprintf("%s shared between companies (%s)",
			plural(len(groups), "identifier", "identifiers"), plural(len(v.flows()), "identifier flow", "identifier flows")))
	}
	if rs := v.replay(); len(rs) > 0 {
		out = append(out, "session replay by "+joinWords(rs))
	}
	if ms := v.vendorsOf(audit.TypeAutomaticMatching); len(ms) > 0 {
		out = append(out, "automatic matching of form fields by "+joinWords(ms))
	}
	if fs := v.vendorsOf(audit.TypeFingerprinting); len(fs) > 0 {
		out = append(out, "browser fingerprinting ("+plural(len(fs), "service", "services")+")")
	}
	return out
}

// notFound names what was searched for and not found.
func (v *view) notFound(persona bool) string {
	var parts []string
	if persona && len(v.leaks) == 0 {
		parts = append(parts, "the persona's values (plain, hashed or encoded)")
	}
	patterns := !slices.ContainsFunc(v.r.Summary.Unseen, func(s string) bool { return strings.Contains(s, "--no-patterns") })
	if patterns && len(v.withHighLooks()) == 0 {
		parts = append(parts, "values that look personal (emails, phone numbers, addresses, card, SSN and parcel numbers)")
	}
	if len(parts) == 0 {
		return ""
	}
	return "Searched for and not found: " + joinWords(parts) + "."
}

// flows returns the cookie-sync findings.
func (v *view) flows() []int {
	var out []int
	for _, i := range v.behaviour {
		if v.r.Findings[i].Type == audit.TypeCookieSync {
			out = append(out, i)
		}
	}
	return out
}

// replay names the companies that recorded the session, from the summary
// and the findings.
func (v *view) replay() []string {
	out := slices.Clone(v.r.Summary.SessionReplay)
	for _, c := range v.vendorsOf(audit.TypeSessionReplay) {
		out = appendNew(out, c)
	}
	return out
}

// vendorsOf names the companies of the findings of one type.
func (v *view) vendorsOf(typ string) []string {
	var out []string
	for _, i := range v.behaviour {
		if f := &v.r.Findings[i]; f.Type == typ {
			out = appendNew(out, cmpOr(findingCompany(f), f.Product))
		}
	}
	return out
}

// withHighLooks returns the companies that received high-confidence values
// that look personal but no persona data: what the headline may speak of.
func (v *view) withHighLooks() []*company {
	var out []*company
	for _, c := range v.withLooks() {
		if slices.ContainsFunc(c.patterns, func(i int) bool { return highConfidence(&v.r.Findings[i]) }) {
			out = append(out, c)
		}
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// looksSentence tells of values that look personal, found without a persona.
func looksSentence(v *view, looks []*company, also bool) string {
	a := ""
	if also {
		a = " also"
	}
	var kinds []string
	for _, c := range looks {
		for _, i := range c.patterns {
			if f := &v.r.Findings[i]; highConfidence(f) {
				kinds = appendNew(kinds, f.Rule)
			}
		}
	}
	return fmt.Sprintf("Values that look personal (%s)%s went to %s: %s.", joinWords(kindLabelList(kinds)),
		a, plural(len(looks), "company", "companies"), joinWords(companyNames(looks)))
}

// coverageLine says what a capture recorded: "POST bodies recorded 0 of 38
// — the exporter dropped them · response bodies 204 of 736".
func coverageLine(s audit.Source) string {
	c := s.Coverage
	var parts []string
	if c.BodyRequests > 0 {
		p := fmt.Sprintf("POST/PUT/PATCH bodies recorded %d of %d", c.BodiesRecorded, c.BodyRequests)
		switch {
		case c.BodiesRecorded == 0:
			p += " — the exporter dropped them; data in them cannot be seen"
		case c.BodiesRecorded < c.BodyRequests:
			p += " — the exporter dropped the rest; data in them cannot be seen"
		}
		parts = append(parts, p)
	}
	if c.Responses > 0 {
		parts = append(parts, fmt.Sprintf("response bodies %d of %d", c.ResponseBodies, c.Responses))
	}
	if c.WebSockets > 0 {
		parts = append(parts, fmt.Sprintf("%s, %s recorded", plural(c.WebSockets, "WebSocket", "WebSockets"),
			plural(c.WebSocketFrames, "frame", "frames")))
	}
	return strings.Join(parts, " · ")
}

// browserLine tells of the browser's own requests, kept out of the third
// parties: "Browser's own requests (not the site's): 3 to
// shavar.services.mozilla.com (Firefox list updates), ...".
func browserLine(bt []audit.BrowserTraffic) string {
	if len(bt) == 0 {
		return ""
	}
	parts := make([]string, len(bt))
	for i, b := range bt {
		parts[i] = fmt.Sprintf("%d to %s", b.Requests, b.Host)
		if what := strings.TrimSpace(b.Browser + " " + b.Purpose); what != "" {
			parts[i] += " (" + what + ")"
		}
	}
	return "Browser's own requests (not the site's): " + strings.Join(parts, ", ") + "."
}
