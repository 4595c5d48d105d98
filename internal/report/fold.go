package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// Limits of the short (non-verbose) human report; --verbose lifts them.
const (
	shortCompanies = 25 // rows of the third-party table, besides data receivers
	shortSyncs     = 20 // identifier lines
	shortFields    = 2  // pixel fields beyond the personal ones
)

// syncGroup is one identifier and every company it was sent to: cookie-sync
// findings grouped so a news page reads one line per identifier.
type syncGroup struct {
	identifier, cookie, giver, giverKind string
	receivers                            []string // "Company (domain)"
	requests                             []int
	findings                             []int
	seen                                 map[int]bool // requests
}

// detail returns the value of a finding's named detail, trying each name.
func detail(f *audit.Finding, names ...string) string {
	for _, n := range names {
		for _, d := range f.Details {
			if d.Name == n {
				return d.Value
			}
		}
	}
	return ""
}

// syncGroups groups cookie-sync findings by identifier, giver and cookie;
// the identifiers sent to most companies come first.
func syncGroups(v *view, idx []int) []*syncGroup {
	var groups []*syncGroup
	byKey := map[string]*syncGroup{}
	for _, i := range idx {
		f := &v.r.Findings[i]
		g := &syncGroup{identifier: detail(f, "identifier", "shared_value", "id"), cookie: detail(f, "cookie"),
			giver: detail(f, "giver", "from"), giverKind: detail(f, "giver_kind")}
		key := g.identifier + "\x00" + g.cookie + "\x00" + g.giver
		if x, ok := byKey[key]; ok {
			g = x
		} else {
			byKey[key] = g
			groups = append(groups, g)
		}
		g.findings = append(g.findings, i)
		g.receivers = addReceiver(g.receivers, syncCompany(f), syncDomain(f))
		if f.Request != nil {
			g.addRequest(f.Request.Index)
		}
		for _, n := range f.Requests {
			g.addRequest(n)
		}
	}
	slices.SortStableFunc(groups, func(a, b *syncGroup) int {
		if c := cmp.Compare(len(b.receivers), len(a.receivers)); c != 0 {
			return c
		}
		return cmp.Compare(len(b.requests), len(a.requests))
	})
	return groups
}

func (g *syncGroup) addRequest(n int) {
	if g.seen == nil {
		g.seen = map[int]bool{}
	}
	if !g.seen[n] {
		g.seen[n] = true
		g.requests = append(g.requests, n)
	}
}

// syncCompany names the company that received an identifier. Without a
// receiver the finding's vendor may be the giver, so only the domain is
// named then.
func syncCompany(f *audit.Finding) string {
	if f.Receiver != nil {
		return f.Receiver.Company
	}
	return ""
}

// syncDomain is the domain that received an identifier.
func syncDomain(f *audit.Finding) string {
	if dom := detail(f, "receiver", "to"); dom != "" {
		return dom
	}
	if f.Receiver != nil {
		return f.Receiver.Domain
	}
	return ""
}

// addReceiver adds a company and domain to "Company (domain, domain)"
// entries, one per company.
func addReceiver(list []string, company, domain string) []string {
	if company == "" || strings.EqualFold(company, domain) {
		company, domain = domain, ""
	}
	for i, r := range list {
		name, doms, _ := strings.Cut(strings.TrimSuffix(r, ")"), " (")
		if name != company {
			continue
		}
		if domain != "" && !slices.Contains(strings.Split(doms, ", "), domain) {
			list[i] = name + " (" + strings.TrimPrefix(doms+", "+domain, ", ") + ")"
		}
		return list
	}
	if domain != "" {
		company += " (" + domain + ")"
	}
	return append(list, company)
}

// line is the one-line form: "cookie TDID of adsrvr.org (third-party) →
// Ziff Davis Tech (zdbb.net), Amazon (amazon-adsystem.com) · 12 requests".
func (g *syncGroup) line() string {
	from := "identifier"
	if g.cookie != "" {
		from = "cookie " + g.cookie
	}
	if g.identifier != "" {
		from += " = " + shorten(g.identifier, 16)
	}
	if g.giver != "" {
		from += " of " + g.giver
	}
	if g.giverKind != "" {
		from += " (" + g.giverKind + ")"
	}
	s := from + " → " + strings.Join(g.receivers, ", ")
	if len(g.requests) > 0 {
		s += " · " + plural(len(g.requests), "request", "requests")
	}
	return s
}

// shortList returns the companies the short third-party table lists (every
// data receiver, then notable ones, up to shortCompanies) and the rest.
func (v *view) shortList() (shown, folded []*company) {
	all := v.verbose || len(v.companies) <= shortCompanies
	for i := range v.companies {
		c := &v.companies[i]
		switch {
		case all || len(c.kinds) > 0 || len(c.looks) > 0:
			shown = append(shown, c)
		case c.notable() && len(shown) < shortCompanies:
			shown = append(shown, c)
		default:
			folded = append(folded, c)
		}
	}
	return shown, folded
}

// foldNote says what the folded tail of companies is made of: "… and 52
// more companies with no data seen: ad 31, analytics 12, unknown 9".
func foldNote(folded []*company) string {
	if len(folded) == 0 {
		return ""
	}
	var cats []kindCount
	quiet := true
	for _, c := range folded {
		cat := "unknown"
		if len(c.tp.Categories) > 0 {
			cat = c.tp.Categories[0]
		}
		cats = addKind(cats, cat)
		quiet = quiet && !c.notable()
	}
	slices.SortStableFunc(cats, func(a, b kindCount) int { return cmp.Compare(b.count, a.count) })
	parts := make([]string, len(cats))
	for i, k := range cats {
		parts[i] = k.kind + " " + strconv.Itoa(k.count)
	}
	what := "with no data seen"
	if !quiet {
		what = "with no personal data seen"
	}
	return fmt.Sprintf("… and %s %s: %s (--verbose lists them)",
		plural(len(folded), "more company", "more companies"), what, strings.Join(parts, ", "))
}

// foldedType is the one-line form of the findings of a type that the short
// report folds: "third-party-cookie: 26 companies — Amazon, GumGum, …".
func foldedType(v *view, typ string, idx []int) string {
	var names []string
	for _, i := range idx {
		names = appendNew(names, cmpOr(findingCompany(&v.r.Findings[i]), "unknown"))
	}
	const maxNames = 12
	list := strings.Join(head(maxNames, names), ", ")
	if len(names) > maxNames {
		list += fmt.Sprintf(" and %d more", len(names)-maxNames)
	}
	return fmt.Sprintf("%s (%s): %s", foldLabels[typ], plural(len(idx), "finding", "findings"), list)
}

// foldLabels name the finding types the short report folds.
var foldLabels = map[string]string{
	audit.TypeThirdPartyCookie: "Third parties that set or received cookies",
	audit.TypeIdentifierCookie: "Sites whose cookies hold identifier-like values",
	audit.TypeTrackingBeacon:   "Tracking beacons no decoder recognises",
}

// splitBehaviour sorts behaviour findings into the serious ones shown in
// full (automatic matching, session replay, fingerprinting), identifier
// flows, the rest shown in full, and those folded by type unless verbose.
func (v *view) splitBehaviour() (serious, flows, rest []int, folded map[string][]int) {
	folded = map[string][]int{}
	for _, i := range v.behaviour {
		switch typ := v.r.Findings[i].Type; {
		case behaviourRank(typ) < behaviourRank(audit.TypeCookieSync):
			serious = append(serious, i)
		case typ == audit.TypeCookieSync:
			flows = append(flows, i)
		case !v.verbose && foldLabels[typ] != "":
			folded[typ] = append(folded[typ], i)
		default:
			rest = append(rest, i)
		}
	}
	return serious, flows, rest, folded
}

// foldedTypes lists the folded types in behaviour order.
func foldedTypes(folded map[string][]int) []string {
	var out []string
	for _, t := range behaviourOrder {
		if len(folded[t]) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// activityWords name what a company without personal data did, for the
// company table: it ran pixels, received identifiers of others, recorded
// the session.
var activityWords = []struct{ typ, word string }{
	{audit.TypeSessionReplay, "session replay"},
	{audit.TypeAutomaticMatching, "form matching"},
	{audit.TypeCookieSync, "identifiers"},
	{audit.TypeFingerprinting, "fingerprinting"},
	{audit.TypeTrackingBeacon, "beacons"},
}

// activity lists the activity words of a company: "pixels, identifiers".
func (v *view) activity(c *company) []string {
	var out []string
	if len(c.pixels) > 0 {
		out = append(out, "pixels")
	}
	for _, a := range activityWords {
		if slices.ContainsFunc(c.other, func(i int) bool { return v.r.Findings[i].Type == a.typ }) {
			out = append(out, a.word)
		}
	}
	return out
}

// activityWord reports whether a table cell holds activity words only.
func activityWord(cell string) bool {
	for _, w := range strings.Split(cell, ", ") {
		w = strings.TrimSuffix(w, "…")
		ok := strings.HasPrefix("pixels", w)
		for _, a := range activityWords {
			ok = ok || strings.HasPrefix(a.word, w)
		}
		if !ok || w == "" {
			return false
		}
	}
	return true
}

// sameGroups groups findings that say the same thing (company, data kind
// or rule, channel, location, encoding) in different requests, the most
// significant company first. The short report shows the first of each
// group in full and names the others by request; verbose keeps one group
// per finding, in report order.
func sameGroups(v *view, idx []int) [][]int {
	var groups [][]int
	if v.verbose {
		for _, i := range idx {
			groups = append(groups, []int{i})
		}
		return groups
	}
	byKey := map[string]int{}
	for _, i := range idx {
		f := &v.r.Findings[i]
		key := strings.Join([]string{findingCompany(f), f.Field, f.Rule, f.Channel, f.Location,
			strings.Join(f.Encoding, ",")}, "\x00")
		if g, ok := byKey[key]; ok {
			groups[g] = append(groups[g], i)
			continue
		}
		byKey[key] = len(groups)
		groups = append(groups, []int{i})
	}
	order := map[string]int{}
	for i := range v.companies {
		if _, ok := order[v.companies[i].tp.Company]; !ok {
			order[v.companies[i].tp.Company] = i
		}
	}
	slices.SortStableFunc(groups, func(a, b []int) int {
		return cmp.Compare(companyOrder(order, &v.r.Findings[a[0]]), companyOrder(order, &v.r.Findings[b[0]]))
	})
	return groups
}

func companyOrder(order map[string]int, f *audit.Finding) int {
	if i, ok := order[findingCompany(f)]; ok {
		return i
	}
	return len(order)
}

// sameNote names the other requests of a group: "the same in 5 more
// requests: #10, #15, #22, …".
func sameNote(v *view, group []int) string {
	if len(group) < 2 {
		return ""
	}
	const maxIDs = 8
	var ids []string
	for _, i := range group[1:] {
		if ref := v.r.Findings[i].Request; ref != nil {
			ids = appendNew(ids, reqID(ref.Source, ref.Index))
		}
	}
	list := strings.Join(head(maxIDs, ids), ", ")
	if len(ids) > maxIDs {
		list += ", …"
	}
	return strings.TrimSuffix(fmt.Sprintf("the same in %s: %s", plural(len(group)-1, "more request", "more requests"), list), ": ")
}
