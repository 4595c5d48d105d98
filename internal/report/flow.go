package report

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// flowDiagram is the site → companies data-flow picture, laid out here so
// the SVG is the same every time.
type flowDiagram struct {
	Width, Height int
	Site          flowNode
	Nodes         []flowNode
	Edges         []flowEdge
	More          string // "+ 3 more companies" when some are left out
}

type flowNode struct {
	X, Y, W, H int
	Label      string
	Sub        string
	Target     string // fragment id of the company card, without '#'
	State      string // "bad", "warn" or ""
	TextX      int
	TextY      int
}

type flowEdge struct {
	Company string
	Path    string
	Label   string
	LabelX  int
	LabelY  int
	Stroke  float64
	State   string // "bad" (persona data), "warn" (values that look personal) or ""
}

// Flow layout constants, in SVG user units.
const (
	flowWidth    = 640
	flowRow      = 52
	flowNodeH    = 38
	flowSiteW    = 150
	flowCompX    = 430
	flowCompW    = 206
	flowMaxNodes = 12
	flowLabelMax = 34
)

// layoutFlow places the site on the left and up to flowMaxNodes companies
// on the right, the ones that received data first.
func layoutFlow(v *view) *flowDiagram {
	if len(v.companies) == 0 {
		return nil
	}
	n := min(len(v.companies), flowMaxNodes)
	rest := len(v.companies) - n
	rows := n
	if rest > 0 {
		rows++
	}
	d := &flowDiagram{Width: flowWidth, Height: max(rows*flowRow+16, 3*flowRow)}
	siteY := d.Height/2 - flowNodeH/2
	site, sub := siteLabel(v)
	d.Site = flowNode{X: 2, Y: siteY, W: flowSiteW, H: flowNodeH, Label: shorten(site, 20), Sub: sub,
		TextX: 2 + flowSiteW/2, TextY: siteY + 16}
	for i := range n {
		c := &v.companies[i]
		y := 8 + i*flowRow
		node := flowNode{X: flowCompX, Y: y, W: flowCompW, H: flowNodeH, Label: shorten(c.tp.Company, 26),
			Sub: plural(c.tp.Requests, "request", "requests"), Target: "c" + strconv.Itoa(i+1) + "-" + slug(c.tp.Company),
			State: companyState(c), TextX: flowCompX + 12, TextY: y + 16}
		d.Nodes = append(d.Nodes, node)
		d.Edges = append(d.Edges, flowEdgeTo(d.Site, node, c))
	}
	if rest > 0 {
		d.More = fmt.Sprintf("+ %d more companies", rest)
		y := 8 + n*flowRow
		d.Nodes = append(d.Nodes, flowNode{X: flowCompX, Y: y, W: flowCompW, H: flowNodeH,
			Label: d.More, Sub: restNote(v.companies[n:]),
			TextX: flowCompX + 12, TextY: y + 16})
	}
	return d
}

func flowEdgeTo(site, node flowNode, c *company) flowEdge {
	x1, y1 := site.X+site.W, site.Y+site.H/2
	x2, y2 := node.X, node.Y+node.H/2
	mid := (x1 + x2) / 2
	e := flowEdge{
		Path:    fmt.Sprintf("M%d %d C%d %d %d %d %d %d", x1, y1, mid, y1, mid, y2, x2, y2),
		Company: c.tp.Company, LabelX: x2 - 8, LabelY: y2 - 5, Stroke: 1.2, State: companyState(c),
	}
	kinds := c.kinds
	if e.State == "warn" {
		kinds = c.looks
	}
	if e.State != "" {
		labels := make([]string, len(kinds))
		total := 0
		for i, k := range kinds {
			labels[i] = kindShort(k.kind)
			total += k.count
		}
		e.Label = shorten(strings.Join(labels, " · "), flowLabelMax)
		e.Stroke = 2 + float64(min(total, 6))*0.6
	}
	return e
}

// companyState classes a company: "bad" got persona data, "warn" got
// values that look personal, "" neither.
func companyState(c *company) string {
	switch {
	case len(c.kinds) > 0:
		return "bad"
	case len(c.looks) > 0:
		return "warn"
	}
	return ""
}

func restNote(rest []company) string {
	for i := range rest {
		if companyState(&rest[i]) != "" {
			return "see the cards below"
		}
	}
	return "no personal data seen"
}

// siteLabel names the site and says how many more there are: the first
// page's host, else the first party's first domain.
func siteLabel(v *view) (name, sub string) {
	sites := siteHosts(v.r)
	switch {
	case len(sites) > 1:
		return sites[0], "and " + plural(len(sites)-1, "more site", "more sites")
	case len(sites) == 1:
		return sites[0], "this site"
	case len(v.r.FirstParty.Domains) > 0:
		return v.r.FirstParty.Domains[0], "this site"
	}
	return "the site", ""
}

// siteHosts lists the distinct page hosts without "www.", in page order.
func siteHosts(r *audit.Report) []string {
	var out []string
	for _, p := range r.Pages {
		// Only web pages name a site: a javascript:, data: or about: page
		// URL is text the site chose and must not become a title.
		u, err := url.Parse(p.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			continue
		}
		out = appendNew(out, strings.TrimPrefix(u.Hostname(), "www."))
	}
	return out
}

// kindShort is a compact label for the diagram.
func kindShort(kind string) string {
	switch kind {
	case "tracking_numbers":
		return "tracking no."
	case "date_of_birth":
		return "birth date"
	case "zip":
		return "ZIP"
	case "email":
		return "email"
	case "phone":
		return "phone"
	}
	return kindLabel(kind)
}
