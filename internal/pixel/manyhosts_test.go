package pixel

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

func beaconTo(u string) *traffic.Request {
	gif := []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
	return withResponse(get(u), &traffic.Response{Status: 200, MIME: "image/gif", Body: gif, BodySize: int64(len(gif))})
}

// TestBeaconCap checks that past maxBeaconFindings hosts the ones with the
// most beacons are listed and the rest are counted in a warning, not lost.
func TestBeaconCap(t *testing.T) {
	t.Parallel()
	a := NewAnalyzer()
	n := maxBeaconFindings + 7
	idx := 0
	add := func(u string) {
		r := beaconTo(u)
		r.Index = idx
		idx++
		a.Request(r, testParty(testPage, r.URL), testPage)
	}
	for i := range n {
		add(fmt.Sprintf("https://px.h%d-x.example/b.gif?uid=%d&ev=v", i, i))
	}
	// The last host gets a second beacon with a new name: it must be listed
	// although it sorts late, and adding to a shared name list must copy it.
	last := fmt.Sprintf("px.h%d-x.example", n-1)
	add("https://" + last + "/b.gif?uid=9&zz=1")
	fs := findingsOf(a.Findings(), FindingUnknownBeacon)
	if len(fs) != maxBeaconFindings {
		t.Fatalf("listed %d beacon findings, want %d", len(fs), maxBeaconFindings)
	}
	var found bool
	for _, f := range fs {
		switch {
		case f.Host == last:
			found = true
			if got := detail(f, "parameters"); got != "ev,uid,zz" {
				t.Errorf("%s parameters = %q", last, got)
			}
		case detail(f, "parameters") != "ev,uid":
			t.Errorf("%s parameters = %q, want ev,uid (a shared list was changed)", f.Host, detail(f, "parameters"))
		}
	}
	if !found {
		t.Errorf("the host with the most beacons, %s, is not listed", last)
	}
	want := fmt.Sprintf("%d more host(s)", n-maxBeaconFindings)
	if w := strings.Join(a.Warnings(), "\n"); !strings.Contains(w, want) {
		t.Errorf("warnings %q do not count the unlisted hosts (%s)", w, want)
	}
}

// TestFinish checks that a finished Analyzer answers as before it.
func TestFinish(t *testing.T) {
	t.Parallel()
	a := NewAnalyzer()
	for i, u := range []string{
		"https://px.unknown.example/b.gif?uid=1&evt=view",
		"https://px.other.example/p.gif?k=2",
	} {
		r := beaconTo(u)
		r.Index = i
		a.Request(r, testParty(testPage, r.URL), testPage)
	}
	before, warnBefore := a.Findings(), a.Warnings()
	a.Finish()
	a.Finish()
	r := beaconTo("https://px.late.example/b.gif?x=1")
	r.Index = 9
	a.Request(r, testParty(testPage, r.URL), testPage)
	if got := a.Findings(); !reflect.DeepEqual(got, before) {
		t.Errorf("findings after Finish = %+v, want %+v", got, before)
	}
	if got := a.Warnings(); !reflect.DeepEqual(got, warnBefore) {
		t.Errorf("warnings after Finish = %q, want %q", got, warnBefore)
	}
	if _, _, ok := a.Identifier("1"); ok {
		t.Errorf("Identifier after Finish found a value no cookie held")
	}
}
