package lab

import (
	"context"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

func TestPopulationChoices(t *testing.T) {
	t.Parallel()
	a, b := population(200, 7), population(200, 7)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed chose different populations")
	}
	if reflect.DeepEqual(a, population(200, 8)) {
		t.Error("another seed chose the same population")
	}
	hosts, domains := map[string]bool{}, map[string]int{}
	var bare, leaky, clean int
	for _, s := range a {
		if hosts[s.Host] {
			t.Errorf("host %s served twice", s.Host)
		}
		hosts[s.Host] = true
		domains[s.Domain]++
		if !strings.HasPrefix(s.Line, "https://") {
			bare++
		}
		if len(s.Vendors) == 0 {
			t.Errorf("%s loads no tag", s.Host)
		}
		tr := s.truth()
		kinds := 0
		for _, c := range tr.Companies {
			kinds += len(c.DataKinds)
			if !s.Vendors[c.Company] {
				t.Errorf("%s: truth names %s, whose tag is not on the page", s.Host, c.Company)
			}
		}
		if kinds > 0 {
			leaky++
		} else {
			clean++
		}
	}
	shared := 0
	for _, n := range domains {
		if n > 1 {
			shared++
		}
	}
	if bare == 0 || shared == 0 || leaky < 50 || clean < 10 {
		t.Errorf("population lacks variety: %d bare domains, %d shared domains, %d leaky and %d clean sites", bare, shared, leaky, clean)
	}
}

func TestPopulationTruthTable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		vendors []string
		leaks   []string
		want    []CompanyTruth
	}{
		{"no leak", []string{"Meta", "Snap"}, nil,
			[]CompanyTruth{{Company: "Meta", DataKinds: []string{}}, {Company: "Snap", DataKinds: []string{}}}},
		{"profile scraped by Meta", []string{"Meta", "Google"}, []string{"profile"},
			[]CompanyTruth{{Company: "Google", DataKinds: []string{}}, {Company: "Meta", DataKinds: nameKeys}}},
		{"title to title senders only", []string{"Microsoft", "Pinterest"}, []string{"title-email"},
			[]CompanyTruth{{Company: "Microsoft", DataKinds: emailOnly}, {Company: "Pinterest", DataKinds: []string{}}}},
		{"profile without Meta leaks nothing", []string{"LinkedIn"}, []string{"profile"},
			[]CompanyTruth{{Company: "LinkedIn", DataKinds: []string{}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := popSite{Host: "www.x.test", Domain: "x.test", Vendors: map[string]bool{}, Leaks: map[string]bool{}}
			for _, v := range c.vendors {
				s.Vendors[v] = true
			}
			for _, l := range c.leaks {
				s.Leaks[l] = true
			}
			if got := s.truth().Companies; !reflect.DeepEqual(got, c.want) {
				t.Errorf("truth %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestPopulationServes(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := StartPopulation(ctx, PopulationOptions{Sites: 30, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c := p.lab.Client()
	for i, s := range p.sites {
		body := fetch(t, c, "https://"+s.Host+"/", http.StatusOK)
		for _, v := range vendors {
			host := v.Routes[0].Host
			if has := strings.Contains(body, host); has != s.Vendors[v.Name] {
				t.Errorf("%s: page loads %s: %v, want %v", s.Host, host, has, s.Vendors[v.Name])
			}
		}
		if shown := strings.Contains(body, `itemprop="email"`); shown != s.Leaks["profile"] {
			t.Errorf("%s: profile shown %v, want %v", s.Host, shown, s.Leaks["profile"])
		}
		if tr := p.Truth()[i]; tr.Site != "https://"+s.Host+"/" {
			t.Errorf("truth site %s", tr.Site)
		}
	}
	fetch(t, c, "https://"+p.sites[0].Host+"/other", http.StatusNotFound)
	fetch(t, c, "https://connect.facebook.net/en_US/fbevents.js", http.StatusOK)
	if _, err := p.TruthJSON(); err != nil {
		t.Fatal(err)
	}
	if err := StartPopulationErr(ctx); err == nil {
		t.Error("a population of 0 sites started")
	}
}

func StartPopulationErr(ctx context.Context) error {
	_, err := StartPopulation(ctx, PopulationOptions{})
	return err
}

func fetch(t *testing.T, c *http.Client, u string, want int) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Errorf("GET %s: %d, want %d", u, resp.StatusCode, want)
	}
	return string(b)
}

// TestPopulationTruthGolden keeps the truth of the population the crawl
// tests use (200 sites, seed 16) as JSON, for checking a crawl's
// statistics against it; refresh with -update.
func TestPopulationTruthGolden(t *testing.T) {
	t.Parallel()
	sites := population(200, 16)
	truth := make([]SiteTruth, len(sites))
	for i := range sites {
		truth[i] = sites[i].truth()
	}
	sharedtest.GoldenJSON(t, "testdata/population-200-seed16.truth.json", truth, *update)
}
