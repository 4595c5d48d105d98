package leak

import (
	"math/rand/v2"
	"testing"
)

// gateSeeds hold a value of each pattern rule among other text.
var gateSeeds = []string{
	"mail jane.doe@example.com now", "call +14155550123 or (415) 555-0123", "+44 20 7946 0958",
	"415.555.0123", "415 555 0123", "ship to 1600 Amphitheatre Pkwy, Mountain View, CA 94043",
	"123+Main+St+Springfield+IL+62701", "EC123456785US", "1Z999AA10123456784", "ssn=123-45-6789",
	"card 4111 1111 1111 1111", "9400111899561482037727", "4111-1111-1111-1111",
}

// checkGates fails if a rule's gate turns away a text its finder finds
// something in: a gate may only skip texts that cannot match.
func checkGates(t *testing.T, v []byte) {
	t.Helper()
	cl := classify(v)
	if f := scanFeatures(v, true); !f.text || f.class != cl {
		t.Fatalf("%q: features' class %+v, classify %+v", v, f.class, cl)
	}
	for _, r := range patternRules {
		if r.find == nil || r.may == nil || r.may(cl) {
			continue
		}
		if found := r.find(v); len(found) > 0 {
			t.Fatalf("rule %s: gate skips %q, which holds %q", r.name, v, found[0].value)
		}
	}
}

func TestPatternGatesSkipOnlyTextsWithoutMatches(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "0123456789 +-.@ZAUSabc,()"
	for _, s := range gateSeeds {
		checkGates(t, []byte(s))
		for range 2000 { // mutations: the gates must hold on every one
			b := []byte(s)
			for range 1 + rng.IntN(4) {
				b[rng.IntN(len(b))] = alphabet[rng.IntN(len(alphabet))]
			}
			checkGates(t, b)
		}
	}
}

func FuzzPatternGates(f *testing.F) {
	for _, s := range gateSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) { checkGates(t, v) })
}
