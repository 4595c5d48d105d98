package audit

import (
	"net/url"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// The first party is the site the visitor went to, decided per capture from
// the first requests before any of them is classified: what a HAR exporter
// writes in a page's title is often stale (DevTools with "preserve log"), the
// first request is often not the page (a ping left over from the previous
// site, a script CDN, an ad, the browser's own list update), and the most
// common Referer can be a busy third-party iframe. The evidence, strongest
// first:
//
//  1. a page URL that the capture tool recorded as such (a live scan, our own
//     HAR's _url), not a title that happens to be a URL;
//  2. top-level navigations: HTML documents answered 2xx whose Referer is
//     absent or on the same site, not sent by an iframe, and not to the
//     browser's own services; documents of advertising and analytics
//     companies count only when nothing else does;
//  3. the sites named by Referer and Origin headers, plus one vote for each
//     page title URL that some request of the capture confirms.
//
// Requests are held back (up to siteLookahead of them, or siteLookaheadBytes)
// until the decision is made, then analysed in capture order.
const (
	siteLookahead      = 300
	siteLookaheadBytes = 32 << 20
)

// adCategories are entity categories whose documents are ads or tag frames,
// not the site visited.
var adCategories = []string{"ad", "analytics", "tag-manager", "marketing", "social"}

// siteDecider gathers the evidence of one capture.
type siteDecider struct {
	cl       *party.Classifier
	bg       func(string) bool
	pages    map[string]*traffic.Page
	navs     []siteVote     // navigations, in capture order
	adNavs   []siteVote     // navigations to ad and analytics hosts
	refs     map[string]int // site → Referer/Origin count
	refOrder []string       // sites in first-seen order, for ties
	hosts    map[string]bool
	pending  []*traffic.Request
	bytes    int
	decided  bool
	site     string // the capture's site (registrable domain)
	siteURL  string // a URL on it: the first navigation, else a Referer
	pageSite map[string]pageChoice
}

type siteVote struct{ page, site, url string }

// pageChoice is the decided site of one page and a URL to classify against.
type pageChoice struct{ site, url string }

func newSiteDecider(cl *party.Classifier, bg func(string) bool) *siteDecider {
	return &siteDecider{cl: cl, bg: bg, pages: map[string]*traffic.Page{}, refs: map[string]int{},
		hosts: map[string]bool{}, pageSite: map[string]pageChoice{}}
}

// authoritative reports whether a page's URL was recorded as a URL, not
// copied from a title.
func authoritative(p *traffic.Page) bool {
	return p != nil && isHTTPURL(p.URL) && p.URL != p.Title
}

func (d *siteDecider) background(u string) bool { return d.bg != nil && d.bg(u) }

// observe notes one request's evidence.
func (d *siteDecider) observe(r *traffic.Request) {
	if d.background(r.URL) {
		return
	}
	if h := hostOf(r.URL); h != "" {
		d.hosts[party.RegistrableDomain(h)] = true
	}
	for _, v := range []string{r.Headers.Get("Referer"), r.Headers.Get("Origin")} {
		if s := siteOf(v); s != "" && !d.background(v) {
			if d.refs[s] == 0 {
				d.refOrder = append(d.refOrder, s)
			}
			d.refs[s]++
			d.hosts[s] = true
			break // Origin only when there is no Referer
		}
	}
	if !isNavigation(r) {
		return
	}
	v := siteVote{page: r.PageID, site: siteOf(r.URL), url: r.URL}
	if d.adHost(r.URL) {
		d.adNavs = append(d.adNavs, v)
		return
	}
	d.navs = append(d.navs, v)
}

func (d *siteDecider) adHost(u string) bool {
	e := d.cl.Entity(u)
	if e == nil {
		return false
	}
	for _, c := range e.Categories {
		if slices.Contains(adCategories, c) {
			return true
		}
	}
	return false
}

// isNavigation reports whether a request looks like a top-level document
// the visitor went to.
func isNavigation(r *traffic.Request) bool {
	if r.Target != "" && r.Target != "page" {
		return false
	}
	switch strings.ToLower(r.ResourceType) {
	case "document", "main_frame", "":
	default:
		return false
	}
	resp := r.Response
	if resp == nil || resp.Status >= 300 && resp.Status < 400 || resp.Status != 0 && resp.Status < 200 {
		return false // a redirect is not where the visitor landed; an error page is
	}
	if !strings.Contains(strings.ToLower(resp.MIME), "html") {
		return false
	}
	ref := r.Headers.Get("Referer")
	return ref == "" || siteOf(ref) == siteOf(r.URL)
}

// decide fixes the capture's site from the evidence so far.
func (d *siteDecider) decide() {
	d.decided = true
	for _, p := range d.orderedPages() {
		if authoritative(p) {
			d.site, d.siteURL = siteOf(p.URL), p.URL
			return
		}
	}
	if v, ok := d.mostVotes(d.navs); ok {
		d.site, d.siteURL = v.site, v.url
		return
	}
	if v, ok := d.mostVotes(d.adNavs); ok && len(d.refs) == 0 {
		d.site, d.siteURL = v.site, v.url
		return
	}
	votes := map[string]int{}
	for s, n := range d.refs {
		votes[s] = n
	}
	order := slices.Clone(d.refOrder)
	for _, p := range d.orderedPages() {
		if s := siteOf(p.Title); s != "" && d.hosts[s] {
			if votes[s] == 0 {
				order = append(order, s)
			}
			votes[s]++
		}
	}
	best := ""
	for _, s := range order {
		if votes[s] > votes[best] {
			best = s
		}
	}
	if best != "" {
		d.site, d.siteURL = best, "https://"+best+"/"
		return
	}
	for _, r := range d.pending {
		if s := siteOf(r.URL); s != "" && !d.background(r.URL) {
			d.site, d.siteURL = s, r.URL
			return
		}
	}
}

// orderedPages returns the pages seen, sorted by ID for determinism.
func (d *siteDecider) orderedPages() []*traffic.Page {
	ids := make([]string, 0, len(d.pages))
	for id := range d.pages {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]*traffic.Page, 0, len(ids))
	for _, id := range ids {
		out = append(out, d.pages[id])
	}
	return out
}

// mostVotes returns the site with the most navigations, then the most
// Referers (a frame loaded without a Referer is a navigation as far as some
// exporters show, but the page's own resources name the page), the earliest
// on a tie, with its first URL.
func (d *siteDecider) mostVotes(vs []siteVote) (siteVote, bool) {
	count := map[string]int{}
	for _, v := range vs {
		count[v.site]++
	}
	var best siteVote
	for _, v := range vs {
		if best.site == "" || count[v.site] > count[best.site] ||
			count[v.site] == count[best.site] && d.refs[v.site] > d.refs[best.site] {
			best = siteVote{page: v.page, site: v.site, url: firstURL(vs, v.site)}
		}
	}
	return best, best.site != ""
}

func firstURL(vs []siteVote, site string) string {
	for _, v := range vs {
		if v.site == site {
			return v.url
		}
	}
	return ""
}

// pageFor returns the site and URL a request's page stands for.
func (d *siteDecider) pageFor(r *traffic.Request) pageChoice {
	if c, ok := d.pageSite[r.PageID]; ok {
		return c
	}
	c := pageChoice{site: d.site, url: d.siteURL}
	p := d.pages[r.PageID]
	switch {
	case r.PageID == "":
	case authoritative(p):
		c = pageChoice{siteOf(p.URL), p.URL}
	case d.firstNav(r.PageID) != nil:
		v := d.firstNav(r.PageID)
		c = pageChoice{v.site, v.url}
	case isNavigation(r) && !d.adHost(r.URL) && !d.background(r.URL):
		c = pageChoice{siteOf(r.URL), r.URL}
	case p != nil && siteOf(p.Title) == d.site && d.site != "":
		c = pageChoice{d.site, p.Title}
	}
	if c.site == d.site && d.site != "" && c.url == d.siteURL && p != nil && siteOf(p.Title) == d.site {
		c.url = p.Title
	}
	d.pageSite[r.PageID] = c
	return c
}

func (d *siteDecider) firstNav(page string) *siteVote {
	for i := range d.navs {
		if d.navs[i].page == page {
			return &d.navs[i]
		}
	}
	return nil
}

// siteOf is the registrable domain of an http(s) URL, or "".
func siteOf(raw string) string {
	if !isHTTPURL(raw) {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return party.RegistrableDomain(strings.ToLower(u.Hostname()))
}

// isBackground reports whether a request is the browser's own traffic.
func isBackground(u string) bool {
	_, _, ok := browserTraffic(u)
	return ok
}

// browserTraffic recognises the browser's own requests.
var browserTraffic = party.BrowserTraffic
