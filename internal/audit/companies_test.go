package audit

import (
	"fmt"
	"reflect"
	"runtime"
	"testing"

	"github.com/leakwatch/leakwatch/internal/party"
)

// TestThirdPartiesFromCompanies checks the compact company table against
// what the third-party list must say: hosts and domains sorted and
// distinct, the entity's name where data names one, counts and facts.
func TestThirdPartiesFromCompanies(t *testing.T) {
	t.Parallel()
	rule := &party.FilterMatch{Rule: "||ads.example^"}
	parties := []party.Party{
		{Host: "px.one.example", Domain: "one.example", Company: "one.example", ThirdParty: true},
		{Host: "b.gstatic.test", Domain: "gstatic.test", Company: "Google", Known: true, Categories: []string{"Advertising"}},
		{Host: "a.google.test", Domain: "google.test", Company: "Google", Known: true, Filter: rule},
		{Host: "b.gstatic.test", Domain: "gstatic.test", Company: "Google", Known: true},
		{Host: "ads.example", Domain: "ads.example", Company: "ads.example", Filter: rule},
		{Host: "10.0.0.1", Domain: "10.0.0.1", Company: "10.0.0.1"},
		{Host: "x.odd.example", Domain: "other.example", Company: "other.example"},
	}
	s := newState(Options{})
	for _, p := range parties {
		s.addCompany(p)
	}
	got := s.thirdParties()
	want := []ThirdParty{
		{Company: "10.0.0.1", Domains: []string{"10.0.0.1"}, Hosts: []string{"10.0.0.1"}, Requests: 1},
		{Company: "Google", Known: true, Domains: []string{"google.test", "gstatic.test"},
			Hosts: []string{"a.google.test", "b.gstatic.test"}, Categories: []string{"Advertising"}, Requests: 3,
			Blocked: 1, Rules: []string{"||ads.example^"}},
		{Company: "ads.example", Domains: []string{"ads.example"}, Hosts: []string{"ads.example"}, Requests: 1,
			Blocked: 1, Rules: []string{"||ads.example^"}},
		{Company: "one.example", Domains: []string{"one.example"}, Hosts: []string{"px.one.example"}, Requests: 1},
		{Company: "other.example", Domains: []string{"other.example"}, Hosts: []string{"x.odd.example"}, Requests: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("third parties:\n got %+v\nwant %+v", got, want)
	}
	if s.companies.n != 0 || s.companies.get("Google") != nil {
		t.Error("the company table was not emptied by thirdParties")
	}
}

// TestCompanyTableMemory holds a company of a one-off host to a few words
// beside its host's bytes: 300,000 of them cost a gigabyte as maps.
func TestCompanyTableMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("heap measurement")
	}
	const n = 100_000
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	s := newState(Options{})
	for i := range n {
		d := fmt.Sprintf("h%d-tracker.example", i)
		s.addCompany(party.Party{Host: "px." + d, Domain: d, Company: d, ThirdParty: true})
	}
	per := float64(heap()-before) / n
	runtime.KeepAlive(s)
	if per > 96 {
		t.Errorf("a one-off company costs %.0f bytes, want at most 96", per)
	}
	t.Logf("%.0f bytes a company (host of ~25 bytes)", per)
}
