package fleet

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseSites(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in string
		want     []Site
		err      bool
	}{
		{"urls and domains", "# a comment\nhttps://Shop.Example.com/path?q=1#frag\nexample.org\n\n  news.example.net.  \n",
			[]Site{{URL: "https://shop.example.com/path?q=1"}, {URL: "https://example.org/"}, {URL: "https://news.example.net/"}}, false},
		{"duplicates after normalising", "example.org\nhttps://EXAMPLE.org:443\nhttps://example.org/#x\nhttp://example.org:80/",
			[]Site{{URL: "https://example.org/"}, {URL: "http://example.org/"}}, false},
		{"tranco csv with header", "rank,domain\n1,google.com\n2,facebook.com\n3,google.com\n",
			[]Site{{URL: "https://google.com/", Rank: 1}, {URL: "https://facebook.com/", Rank: 2}}, false},
		{"tranco csv with BOM and CRLF", "\ufeff1,a.example\r\n2,b.example\r\n",
			[]Site{{URL: "https://a.example/", Rank: 1}, {URL: "https://b.example/", Rank: 2}}, false},
		{"idn", "bücher.example\n", []Site{{URL: "https://xn--bcher-kva.example/"}}, false},
		{"port kept", "https://shop.example:8443/", []Site{{URL: "https://shop.example:8443/"}}, false},
		{"url with comma in query", "https://a.example/?x=1,2", []Site{{URL: "https://a.example/?x=1,2"}}, false},
		{"ftp refused", "ftp://example.org/", nil, true},
		{"credentials refused", "https://user:pw@example.org/", nil, true},
		{"bare word refused", "intranet", nil, true},
		{"bad rank", "1,a.example\nx,b.example\n", nil, true},
		{"negative rank", "-1,a.example\n", nil, true},
		{"empty", "# nothing\n\n", nil, true},
		{"javascript refused", "javascript:alert(1)", nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseSites(strings.NewReader(c.in))
			if c.err {
				if err == nil || !errors.Is(err, ErrSites) {
					t.Fatalf("ParseSites = %v, %v; want an ErrSites error", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("ParseSites = %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestParseSitesLongLine(t *testing.T) {
	t.Parallel()
	_, err := ParseSites(strings.NewReader("https://a.example/?" + strings.Repeat("x", maxLine+1)))
	if !errors.Is(err, ErrSites) {
		t.Errorf("a line over %d bytes: %v", maxLine, err)
	}
}

func FuzzParseSites(f *testing.F) {
	for _, s := range []string{"example.org\n", "1,a.example\n", "rank,domain\n", "https://x.example/a?b#c", "\ufeff#x\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		sites, err := ParseSites(strings.NewReader(in))
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, s := range sites {
			again, err := NormalizeSite(s.URL)
			if err != nil || again != s.URL {
				t.Fatalf("normalised %q is not stable: %q, %v", s.URL, again, err)
			}
			if seen[s.URL] {
				t.Fatalf("%q listed twice", s.URL)
			}
			seen[s.URL] = true
		}
	})
}
