package pixel

import (
	"reflect"
	"testing"
)

func TestSplitGoogleTV(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want []string // "name=value", or "=token" for an unnamed token
	}{
		{"tv.1~em.abc~pn.def~fn0.~pc0.94577~co0.us", []string{"tv.1~em=abc", "tv.1~pn=def", "tv.1~fn0=", "tv.1~pc0=94577", "tv.1~co0=us"}},
		{"tv.1~em.a.b", []string{"tv.1~em=a.b"}},
		{"tv.1~nodot~.novalue~", []string{"=nodot", "=.novalue", "="}},
		{"tv.1", nil},
		{"tv.1~", []string{"="}},
	}
	for _, c := range cases {
		var got []string
		SplitGoogleTV([]byte(c.in), func(name, value []byte) {
			got = append(got, string(name)+"="+string(value))
		})
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("SplitGoogleTV(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
