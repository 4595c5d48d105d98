package audit

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/consent"
	"github.com/leakwatch/leakwatch/internal/pixel"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// TypeConsentConflict is a request whose own consent signal contradicts
// what it carries: a Google hit that declares ad storage or ad user data
// denied (Consent Mode) yet sends the persona's data or an ad click ID.
const TypeConsentConflict = "consent-conflict"

// maxConsentConflicts caps the requests kept as possible conflicts.
const maxConsentConflicts = 10_000

// Consent is what the captures show of consent: the consent platforms
// (CMPs, frameworks) present, and each distinct consent or opt-out signal
// the requests carried (TCF, GPP and US Privacy strings, Google Consent
// Mode, Meta Limited Data Use, GPC, DNT), decoded.
type Consent struct {
	Platforms []ConsentPlatform `json:"platforms,omitempty"`
	Signals   []ConsentSignal   `json:"signals,omitempty"`
	// SignalsNotListed counts distinct signals past the report's limit.
	SignalsNotListed int `json:"signals_not_listed,omitempty"`
	// Comparison sets side by side what each company received in each
	// consent state, when the report holds captures of several states.
	Comparison *ConsentComparison `json:"comparison,omitempty"`
}

// ConsentPlatform is one consent platform a capture shows, with evidence.
type ConsentPlatform struct {
	Source int `json:"source,omitempty"`
	consent.Platform
}

// ConsentSignal is one distinct signal of a capture: Reading says what it
// declares, in words; the decoded fields hold the detail.
type ConsentSignal struct {
	Source  int    `json:"source,omitempty"`
	Reading string `json:"reading"`
	consent.Observed
}

// deniedMeans says what Google documents a denied Consent Mode signal to mean.
var deniedMeans = map[string]string{
	"ad_storage":   "Denied ad_storage means no advertising cookies are read or written.",
	"ad_user_data": "Denied ad_user_data means no user data is to be sent to Google for advertising.",
}

// conflictCandidate is a request whose Consent Mode state denies ad
// storage or ad user data: a conflict if it also carries persona data
// (known once the leak search is done) or carries an ad click ID.
type conflictCandidate struct {
	ref     reqMeta
	product string
	denied  []string
	granted []string // signals declared granted (a conflict before any choice)
	raw     string   // the consent parameters as sent
	clickID string   // name=value of an ad click ID it carries
}

// consentState collects one source's consent signals.
type consentState struct {
	collector *consent.Collector
}

// observeConsent reads one request's consent signals into the source's
// collector and keeps it as a conflict candidate where its Consent Mode
// state denies what its content suggests.
func (v *sourceVisitor) observeConsent(r *traffic.Request, ref reqMeta, hits []pixel.Hit) {
	if v.consent.collector == nil {
		v.consent.collector = consent.NewCollector()
	}
	st := v.a.state
	for _, s := range v.consent.collector.Add(r, hits) {
		if s.Kind != consent.KindConsentMode || s.ConsentMode == nil {
			continue
		}
		denied, granted := consent.Denied(s.ConsentMode.GoogleConsent), consent.Granted(s.ConsentMode.GoogleConsent)
		if len(denied) == 0 && len(granted) == 0 || !ref.party.ThirdParty {
			continue
		}
		if len(st.conflicts) >= maxConsentConflicts {
			st.conflictsDropped++
			continue
		}
		c := conflictCandidate{ref: ref, product: s.ConsentMode.Product, denied: denied, granted: granted, raw: s.Raw}
		if name, val := consent.ClickID(r.URL); name != "" {
			c.clickID = name + "=" + capString(val, 64)
		}
		st.conflicts = append(st.conflicts, c)
	}
}

// endConsent moves a source's consent reading into the state.
func (v *sourceVisitor) endConsent() {
	c := v.consent.collector
	if c == nil {
		return
	}
	st := v.a.state
	for _, p := range c.Platforms() {
		st.consent.Platforms = append(st.consent.Platforms, ConsentPlatform{Source: v.src, Platform: p})
	}
	sigs, dropped := c.Signals()
	for _, s := range sigs {
		st.consent.Signals = append(st.consent.Signals, ConsentSignal{Source: v.src, Reading: s.Summary(), Observed: s})
	}
	st.consent.SignalsNotListed += dropped
	v.consent.collector = nil
}

// consentSection returns the report's consent section, nil when the
// captures show nothing of consent.
func (s *state) consentSection() *Consent {
	if len(s.consent.Platforms) == 0 && len(s.consent.Signals) == 0 {
		return nil
	}
	c := s.consent
	return &c
}

// consentConflicts turns into findings the candidates that declare a
// signal denied yet carry persona data (a leak finding on the same
// request) or an ad click ID, and, in a live scan, those that declare ad
// storage or ad user data granted before any consent choice was made.
func (s *state) consentConflicts(r *Report) []Finding {
	findings := r.Findings
	if len(s.conflicts) == 0 {
		return nil
	}
	leaked := map[[2]int][]string{} // (source, index) → persona fields
	for _, f := range findings {
		if (f.Type == TypeLeak || f.Type == TypeKeystroke) && f.Request != nil {
			k := [2]int{f.Request.Source, f.Request.Index}
			if !slices.Contains(leaked[k], f.Field) {
				leaked[k] = append(leaked[k], f.Field)
			}
		}
	}
	var out []Finding
	for _, c := range s.conflicts {
		if len(c.granted) > 0 && slices.Contains(consentTypes(r, c.ref.source, c.ref.index), TypeBeforeChoice) {
			out = append(out, grantedFinding(c, r.Sources[c.ref.source].Consent))
			continue
		}
		fields := leaked[[2]int{c.ref.source, c.ref.index}]
		if len(c.denied) == 0 || len(fields) == 0 && c.clickID == "" {
			continue
		}
		out = append(out, conflictFinding(c, fields))
	}
	slices.SortStableFunc(out, func(a, b Finding) int { return compareRefs(a.Request, b.Request) })
	return out
}

func conflictFinding(c conflictCandidate, fields []string) Finding {
	var carries []string
	if len(fields) > 0 {
		slices.Sort(fields)
		carries = append(carries, "the persona's "+strings.Join(fields, ", "))
	}
	if c.clickID != "" {
		carries = append(carries, "the ad click ID "+c.clickID)
	}
	summary := fmt.Sprintf("%s hit declares %s denied (%s) yet carries %s.",
		cmp.Or(c.product, "A Google"), strings.Join(c.denied, " and "), c.raw, strings.Join(carries, " and "))
	for _, d := range c.denied {
		summary += " " + deniedMeans[d]
	}
	if c.clickID != "" {
		summary += " Google's tags pass click IDs with ad storage denied only where the site turned on url_passthrough."
	}
	return Finding{Type: TypeConsentConflict, Receiver: c.ref.receiver(), Request: c.ref.ref(),
		Page: capString(c.ref.page, maxRefURL), Vendor: "Google", Product: c.product, Summary: summary,
		Details: []Detail{{Name: "consent", Value: c.raw}, {Name: "denied", Value: strings.Join(c.denied, ", ")}}}
}

// grantedFinding is a Google hit that declares consent granted before the
// visitor made any choice on a site showing a consent banner.
func grantedFinding(c conflictCandidate, sc *ScanConsent) Finding {
	when := "before any consent choice"
	if sc != nil && sc.Choice != nil {
		when = fmt.Sprintf("before the scan answered %s's banner (request #%d)", sc.Choice.Platform, sc.Choice.Request)
	}
	summary := fmt.Sprintf("%s hit declares %s granted (%s) %s, on a site showing a consent banner.",
		cmp.Or(c.product, "A Google"), strings.Join(c.granted, " and "), c.raw, when)
	return Finding{Type: TypeConsentConflict, Receiver: c.ref.receiver(), Request: c.ref.ref(),
		Page: capString(c.ref.page, maxRefURL), Vendor: "Google", Product: c.product, Summary: summary,
		Details: []Detail{{Name: "consent", Value: c.raw}, {Name: "granted", Value: strings.Join(c.granted, ", ")}}}
}
