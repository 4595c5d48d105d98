package pixel

import (
	"fmt"
	"testing"
)

// TestPairFilterHoldsEveryPair: through every growth, each pair added is
// still reported as maybe held (a Bloom filter has no false negatives),
// and most pairs never added are not.
func TestPairFilterHoldsEveryPair(t *testing.T) {
	t.Parallel()
	var f pairFilter
	pairs := map[pairKey]pairSeen{}
	for i := range 30_000 {
		k := pairKey{fmt.Sprint("c", i%40), fmt.Sprintf("v%08x", i*7919)}
		pairs[k] = pairSeen{first: i}
		f.add(f.hash(k), pairs)
	}
	for k := range pairs {
		if !f.mayHold(f.hash(k)) {
			t.Fatalf("pair %v lost", k)
		}
	}
	false1 := 0
	for i := range 10_000 {
		if f.mayHold(f.hash(pairKey{"other", fmt.Sprint(i)})) {
			false1++
		}
	}
	if false1 > 500 {
		t.Errorf("%d of 10000 pairs never added pass the filter", false1)
	}
}
