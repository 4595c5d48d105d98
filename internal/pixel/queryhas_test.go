package pixel

import (
	"net/url"
	"testing"
)

// queryHas agrees with url.Values.Has on what ParseQuery keeps and drops.
func TestQueryHasAgreesWithParseQuery(t *testing.T) {
	t.Parallel()
	queries := []string{"e=pv&tv=js-3", "e&tv=", "a=1;e=2&tv=3", "%65=1&t%76=2", "e=%zz&tv=1", "e+x=1&e=",
		"%zz=1&e=1", "", "&&e=1&&", "tv=1&e=%41", "E=1&TV=2", "e=1=2&tv=a+b"}
	for _, q := range queries {
		u := &url.URL{RawQuery: q}
		vals, _ := url.ParseQuery(q)
		for _, n := range []string{"e", "tv", "e x", "a", "E", ""} {
			if got, want := queryHas(u, n), vals.Has(n); got != want {
				t.Errorf("queryHas(%q, %q) = %v, url.Values.Has says %v", q, n, got, want)
			}
		}
	}
}
