package lab

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// PopulationOptions configure StartPopulation. Sites must be positive.
type PopulationOptions struct {
	// Sites is how many first-party sites to serve (at most MaxPopulation).
	Sites int
	// Seed chooses each site's tags and leaks; the same seed serves the
	// same population.
	Seed uint64
	// Addr and Logger are as in Options.
	Addr   string
	Logger *slog.Logger
}

// MaxPopulation bounds PopulationOptions.Sites.
const MaxPopulation = 9999

// Validate reports what is wrong with the options.
func (o PopulationOptions) Validate() error {
	if o.Sites < 1 || o.Sites > MaxPopulation {
		return fmt.Errorf("lab: population of %d sites is outside 1..%d", o.Sites, MaxPopulation)
	}
	return Options{Addr: o.Addr}.Validate()
}

// Population is a running lab serving many made-up shops, each a single
// landing page carrying some of the lab's tracker tags, on the lab's
// vendor hosts. No login is needed: what leaks, leaks on the first visit.
type Population struct {
	lab   *Site
	sites []popSite
	host  map[string]*popSite
	page  *template.Template
}

// StartPopulation serves a population until Close or the end of ctx.
func StartPopulation(ctx context.Context, opts PopulationOptions) (*Population, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	p := &Population{sites: population(opts.Sites, opts.Seed), host: map[string]*popSite{}}
	hosts := Hosts()
	for i := range p.sites {
		p.host[p.sites[i].Host] = &p.sites[i]
		hosts = append(hosts, p.sites[i].Host)
	}
	page, err := template.New("population").Parse(populationPage)
	if err != nil {
		return nil, fmt.Errorf("lab: population page: %w", err)
	}
	p.page = page
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s, err := newSite(logger)
	if err != nil {
		return nil, err
	}
	if s.cert, err = newLabCert(hosts, time.Now()); err != nil {
		return nil, err
	}
	p.lab = s
	if err := p.listen(ctx, opts.Addr); err != nil {
		return nil, err
	}
	return p, nil
}

// listen serves the population's handler over TLS and plain HTTP (a
// redirect) on one loopback port, as Start does for the demo site.
func (p *Population) listen(ctx context.Context, addr string) error {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	labHandler := p.lab.handler()
	return p.lab.serve(ctx, addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ps := p.host[hostOnly(r.Host)]; ps != nil {
			p.serveSite(w, r, ps)
			return
		}
		labHandler.ServeHTTP(w, r)
	}), func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://"+hostOnly(r.Host)+r.URL.RequestURI(), http.StatusMovedPermanently)
	})
}

// Close stops serving.
func (p *Population) Close() error { return p.lab.Close() }

// Addr is the address the population listens on.
func (p *Population) Addr() string { return p.lab.Addr() }

// ChromeArgs are the Chromium flags that send every hostname to the lab
// and accept its certificate.
func (p *Population) ChromeArgs() []string { return p.lab.ChromeArgs() }

// Hits returns what the vendors' collectors received.
func (p *Population) Hits() []traffic.Request { return p.lab.Hits() }

// Lines are the sites as a crawl's sites file lists them: URLs, some as
// bare domains, in population order.
func (p *Population) Lines() []string {
	out := make([]string, len(p.sites))
	for i, s := range p.sites {
		out[i] = s.Line
	}
	return out
}

// Persona is the visitor whose values the population's pages show and
// leak, as a persona file (YAML).
func (p *Population) Persona() []byte {
	v := populationVisitor
	return fmt.Appendf(nil, "name: population visitor\nfirst_name: %s\nlast_name: %s\nemail: %s\nphone: %q\n",
		v.FirstName, v.LastName, v.Email, v.Phone)
}

// SiteTruth is what a scan of one population site must find: the
// companies that receive requests, and the persona keys each receives.
type SiteTruth struct {
	// Site is the site's start URL as a crawl normalises its line
	// (https://host/).
	Site      string         `json:"site"`
	Host      string         `json:"host"`
	Domain    string         `json:"domain"` // registrable domain, shared by a few sites
	Companies []CompanyTruth `json:"companies"`
}

// CompanyTruth is one receiving company and the data kinds it gets.
type CompanyTruth struct {
	Company   string   `json:"company"`
	DataKinds []string `json:"data_kinds"`
}

// Truth returns every site's truth, in population order.
func (p *Population) Truth() []SiteTruth {
	out := make([]SiteTruth, len(p.sites))
	for i, s := range p.sites {
		out[i] = s.truth()
	}
	return out
}

// TruthJSON is Truth as indented JSON, for tools that check a crawl's
// statistics against it.
func (p *Population) TruthJSON() ([]byte, error) {
	return json.MarshalIndent(p.Truth(), "", "  ")
}

func (p *Population) serveSite(w http.ResponseWriter, r *http.Request, s *popSite) {
	switch {
	case r.URL.Path == "/favicon.ico":
		w.WriteHeader(http.StatusNoContent)
		return
	case r.URL.Path != "/":
		http.NotFound(w, r)
		return
	}
	var b strings.Builder
	if err := p.page.Execute(&b, pageOf(s)); err != nil {
		http.Error(w, "render: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, b.String())
}

// population chooses n sites from seed. Every seventh is listed as a bare
// domain; every tenth is a second host of the previous site's registrable
// domain, so that politeness per domain has something to do.
func population(n int, seed uint64) []popSite {
	out := make([]popSite, 0, n)
	for i := 1; i <= n; i++ {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		s := popSite{Index: i, Domain: fmt.Sprintf("shop-%04d.test", i)}
		switch {
		case i%10 == 0:
			s.Domain = fmt.Sprintf("shop-%04d.test", i-1)
			s.Host = "outlet." + s.Domain
		case i%7 == 0:
			s.Host = s.Domain
		default:
			s.Host = "www." + s.Domain
		}
		s.Line = "https://" + s.Host + "/"
		if i%7 == 0 && i%10 != 0 {
			s.Line = s.Host
		}
		s.choose(rng)
		out = append(out, s)
	}
	return out
}

// sortedKinds returns the keys of a set, sorted.
func sortedKinds(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
