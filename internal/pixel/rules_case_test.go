package pixel

import "testing"

// TestMakeRulesCaseFold: names the table spells in two cases each keep
// their meaning when spelled exactly so, and any other spelling takes the
// lower-case name's, the same on every run (the map order once decided
// it, and Chartbeat's "w"/"W" flipped between Device and Technical from
// run to run).
func TestMakeRulesCaseFold(t *testing.T) {
	t.Parallel()
	for range 20 {
		r := makeRules(map[string]Meaning{"i": Title, "I": Technical, "W": Technical, "w": Device,
			"x_*": CustomData, "X_*": Technical, "Q": Technical})
		for _, tc := range []struct {
			name string
			want Meaning
		}{{"i", Title}, {"I", Technical}, {"w", Device}, {"W", Technical}, {"x_a", CustomData}, {"X_A", CustomData},
			{"q", Technical}, {"Q", Technical}} {
			if got := r.meaning(tc.name); got != tc.want {
				t.Fatalf("meaning(%q) = %q, want %q", tc.name, got, tc.want)
			}
		}
	}
}
