package report

import (
	"bytes"
	"embed"
	"encoding/base64"
	"html/template"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

//go:embed assets/report.html.tmpl assets/report.css assets/report.js
var assets embed.FS

var htmlTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"kindLabel": kindLabel,
	"inc":       func(i int) int { return i + 1 },
	"reqid":     reqID,
	"headF":     head[htmlFinding],
	"tailF":     tail[htmlFinding],
	"headR":     head[fieldRow],
	"tailR":     tail[fieldRow],
	"headC":     func(n int, xs []htmlCompany) []htmlCompany { return head(n, xs) },
	"tailC":     func(n int, xs []htmlCompany) []htmlCompany { return tail(n, xs) },
}).ParseFS(assets, "assets/report.html.tmpl"))

// htmlPage is everything the HTML template shows.
type htmlPage struct {
	Title     string
	Tool      string
	Sources   []audit.Source
	State     string // "bad" (persona data left), "warn" (values that look personal), "neutral", "good"
	Headline  string
	Verdict   verdict
	Coverage  []string // per source: its site and what it recorded
	Browser   string   // the browser's own requests
	Folded    string   // the long tail of companies folded into a details element
	Short     int      // companies shown before the fold
	Receivers string
	Kinds     []string
	Looks     string   // companies that received values that look personal
	LookKinds []string // what those values look like
	Pages     []string
	Stats     []stat
	Flow      *flowDiagram
	Policy    *audit.PolicyResult
	Companies []htmlCompany
	KindOpts  []kindOpt
	Others    []htmlFinding
	Unplaced  []unplacedRow // pixel hits no third-party card owns
	Consent   *htmlConsent  // what the requests declare of consent
	Shots     []shot
	Warnings  []string
	CSS       template.CSS
	JS        template.JS
}

type stat struct {
	Value int
	Label string
	Class string // "bad", "warn" or ""
}

// unplacedRow is a group of pixel hits sent to a host no third party owns.
type unplacedRow struct {
	Vendor, Product, Account, Events, Host string
	Hits                                   int
}

func unplacedRows(v *view) []unplacedRow {
	var rows []unplacedRow
	for _, i := range v.unplaced {
		h := &v.r.Pixels[i]
		host := hostOf(h.Request.URL)
		j := slices.IndexFunc(rows, func(r unplacedRow) bool {
			return r.Vendor == h.Vendor && r.Product == h.Product && r.Account == h.Account && r.Host == host
		})
		if j < 0 {
			rows = append(rows, unplacedRow{Vendor: h.Vendor, Product: h.Product, Account: h.Account, Host: host})
			j = len(rows) - 1
		}
		rows[j].Hits++
		if h.Event != "" && !strings.Contains(", "+rows[j].Events+", ", ", "+h.Event+", ") {
			rows[j].Events = strings.TrimPrefix(rows[j].Events+", "+h.Event, ", ")
		}
	}
	return rows
}

// head returns the first n items; tail the rest. Long lists show their
// head and fold the tail into a <details>.
func head[T any](n int, xs []T) []T { return xs[:min(n, len(xs))] }

func tail[T any](n int, xs []T) []T { return xs[min(n, len(xs)):] }

// classIf returns class when cond holds, else "".
func classIf(cond bool, class string) string {
	if cond {
		return class
	}
	return ""
}

type kindOpt struct{ Key, Label string }

type shot struct {
	URL, Title, Name string
	Src              template.URL // a data: URI built here from image bytes
}

func renderHTML(w io.Writer, r *audit.Report, opts Options) error {
	css, err := assets.ReadFile("assets/report.css")
	if err != nil {
		return err
	}
	js, err := assets.ReadFile("assets/report.js")
	if err != nil {
		return err
	}
	v := newView(r, opts)
	p := &htmlPage{
		Title:    reportTitle(r),
		Tool:     strings.TrimSpace(r.Tool.Name + " " + r.Tool.Version),
		Sources:  r.Sources,
		Pages:    v.pages,
		Flow:     layoutFlow(v),
		Policy:   r.Policy,
		Warnings: allWarnings(r),
		CSS:      template.CSS(css), // embedded asset, not report data
		JS:       template.JS(js),   // embedded asset, not report data
	}
	p.headline(v)
	p.Stats = htmlStats(v)
	var keys []string
	for _, k := range append(slices.Clone(v.kinds), v.lookKinds()...) {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
			p.KindOpts = append(p.KindOpts, kindOpt{Key: k, Label: kindLabel(k)})
		}
	}
	used := map[string]bool{}
	for i := range v.companies {
		p.Companies = append(p.Companies, newHTMLCompany(v, &v.companies[i], i, used))
	}
	others := slices.Clone(v.behaviour)
	if r.Policy == nil { // with a policy, its panel lists the violations
		others = append(others, v.breaches...)
	}
	for _, i := range others {
		if !used[strconv.Itoa(i)] {
			p.Others = append(p.Others, newHTMLFinding(v, &r.Findings[i]))
		}
	}
	p.Unplaced = unplacedRows(v)
	p.Consent = newHTMLConsent(v)
	p.Shots = screenshots(r.Pages, opts.Screenshots)
	// Render whole before writing so a failure leaves no half a page.
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, p); err != nil {
		return err
	}
	_, err = buf.WriteTo(w)
	return err
}

// htmlStats are the headline numbers under the verdict.
func htmlStats(v *view) []stat {
	nd, nl := len(v.withData()), len(v.withHighLooks())
	s := v.r.Summary
	first := stat{nd, noun(nd, "company", "companies") + " received personal data", classIf(nd > 0, "bad")}
	second := stat{s.Leaks, noun(s.Leaks, "leak", "leaks") + " of persona data", classIf(s.Leaks > 0, "bad")}
	if nd == 0 && nl > 0 {
		first = stat{nl, noun(nl, "company", "companies") + " received values that look personal", "warn"}
	}
	if !v.personaGiven() {
		// Without a persona, no count of persona data may read as an all-clear.
		n := len(syncGroups(v, v.flows()))
		second = stat{n, noun(n, "identifier", "identifiers") + " shared between companies", ""}
		if nl == 0 {
			first = stat{len(v.r.Pixels), noun(len(v.r.Pixels), "tracking pixel hit", "tracking pixel hits"), ""}
		}
	}
	stats := []stat{first, second,
		{len(v.patterns), noun(len(v.patterns), "personal-looking value", "personal-looking values"), classIf(len(v.patterns) > 0, "warn")},
		{len(v.companies), noun(len(v.companies), "third-party company", "third-party companies"), ""},
		{s.Pixels, noun(s.Pixels, "tracking pixel hit", "tracking pixel hits"), ""},
		{s.Requests, noun(s.Requests, "request", "requests") + " in total", ""},
	}
	if stats[0].Label == stats[4].Label {
		stats = slices.Delete(stats, 4, 5)
	}
	return stats
}

func (p *htmlPage) headline(v *view) {
	d := v.verdict()
	p.Verdict, p.State, p.Headline = d, d.State, d.Title
	looks := v.withHighLooks()
	if len(looks) > 0 {
		p.Looks = joinWords(companyNames(looks))
		var kinds []string
		for _, c := range looks {
			for _, i := range c.patterns {
				if highConfidence(&v.r.Findings[i]) {
					kinds = appendNew(kinds, v.r.Findings[i].Rule)
				}
			}
		}
		p.LookKinds = kindLabelList(kinds)
	}
	if cs := v.withData(); len(cs) > 0 {
		p.Headline = plural(len(cs), "company", "companies") + " received personal data from this site"
		p.Receivers = joinWords(companyNames(cs))
		p.Kinds = kindLabelList(v.kinds)
	} else if len(looks) > 0 {
		p.Headline = plural(len(looks), "company", "companies") + " received values that look personal"
	} else {
		p.Headline = strings.ToUpper(d.Short[:1]) + d.Short[1:]
	}
	for _, s := range v.r.Sources {
		line := s.Path
		if s.Site != "" {
			line += " — site " + s.Site
		}
		if c := coverageLine(s); c != "" {
			line += " — recorded: " + c
		}
		p.Coverage = append(p.Coverage, line)
	}
	p.Browser = browserLine(v.r.BrowserTraffic)
	shown, folded := v.shortList()
	p.Short = len(shown)
	if note := foldNote(folded); note != "" {
		p.Folded = strings.TrimSuffix(strings.TrimPrefix(note, "… and "), " (--verbose lists them)")
	}
}

func reportTitle(r *audit.Report) string {
	sites := siteHosts(r)
	switch {
	case len(sites) > 1:
		return "leakwatch report: " + sites[0] + " and " + plural(len(sites)-1, "more site", "more sites")
	case len(sites) == 1:
		return "leakwatch report: " + sites[0]
	case len(r.Sources) > 0:
		return "leakwatch report: " + r.Sources[0].Path
	}
	return "leakwatch report"
}

// hostOf returns the host of an absolute URL, or the URL itself.
func hostOf(u string) string {
	_, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	host, _, _ := strings.Cut(rest, "/")
	host, _, _ = strings.Cut(host, "?")
	return host
}

// allWarnings lists the sources' warnings, each naming its source, the
// pages that failed, then the analysis warnings.
func allWarnings(r *audit.Report) []string {
	var ws []string
	for _, s := range r.Sources {
		for _, w := range s.Warnings {
			if !strings.HasPrefix(w, s.Path) {
				w = s.Path + ": " + w
			}
			ws = append(ws, w)
		}
	}
	for _, p := range r.Pages {
		if p.Error != "" {
			ws = append(ws, "page "+p.URL+": "+p.Error)
		}
	}
	return foldEntryWarnings(append(ws, r.Warnings...))
}

// reEntry finds the "entry N: " a reader puts before a warning about one
// HAR entry.
var reEntry = regexp.MustCompile(`\bentry (\d+): `)

// foldEntryWarnings joins warnings that differ only in their entry number
// ("entries 382, 527 and 679: request.url cannot be parsed ..."), keeping the
// order of first appearance.
func foldEntryWarnings(ws []string) []string {
	type group struct {
		first   int
		entries []string
	}
	groups := map[string]*group{}
	var out []string
	for _, w := range ws {
		loc := reEntry.FindStringSubmatchIndex(w)
		if loc == nil {
			out = append(out, w)
			continue
		}
		key := w[:loc[0]] + "\x00" + w[loc[1]:]
		if g, ok := groups[key]; ok {
			g.entries = append(g.entries, w[loc[2]:loc[3]])
			continue
		}
		groups[key] = &group{first: len(out), entries: []string{w[loc[2]:loc[3]]}}
		out = append(out, key)
	}
	for key, g := range groups {
		pre, post, _ := strings.Cut(key, "\x00")
		label := "entry " + g.entries[0]
		if len(g.entries) > 1 {
			label = "entries " + joinWords(g.entries)
		}
		out[g.first] = pre + label + ": " + post
	}
	return out
}

// screenshots embeds the images given for pages as data: URIs. Only bytes
// that sniff as an image become a URI; nothing is ever referenced by name.
func screenshots(pages []audit.PageInfo, images map[string][]byte) []shot {
	var out []shot
	for _, pg := range pages {
		if pg.Screenshot == "" {
			continue
		}
		s := shot{URL: pg.URL, Title: pg.Title, Name: pg.Screenshot}
		if b := images[pg.Screenshot]; len(b) > 0 {
			switch ct := http.DetectContentType(b); ct {
			case "image/png", "image/jpeg", "image/gif", "image/webp":
				s.Src = template.URL("data:" + ct + ";base64," + base64.StdEncoding.EncodeToString(b))
			}
		}
		out = append(out, s)
	}
	return out
}
