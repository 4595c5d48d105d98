package browser

import (
	"reflect"
	"strings"
	"testing"
)

func TestOptOutHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		gpc, dnt bool
		want     map[string]string
	}{
		{false, false, nil},
		{true, false, map[string]string{"Sec-GPC": "1"}},
		{false, true, map[string]string{"DNT": "1"}},
		{true, true, map[string]string{"Sec-GPC": "1", "DNT": "1"}},
	}
	for _, tc := range tests {
		o := Options{GPC: tc.gpc, DNT: tc.dnt}
		if got := o.optOutHeaders(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("GPC %v DNT %v: headers %v, want %v", tc.gpc, tc.dnt, got, tc.want)
		}
		js := optOutScript(tc.gpc, tc.dnt)
		if !strings.HasSuffix(js, "("+map[bool]string{true: "true", false: "false"}[tc.gpc]+", "+
			map[bool]string{true: "true", false: "false"}[tc.dnt]+")") {
			t.Errorf("script does not end with its arguments: %s", js)
		}
	}
}
