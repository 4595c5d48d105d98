package har_test

import (
	"bytes"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/har/hargen"
)

func TestTokensReadGeneratedLikeEncodingJSON(t *testing.T) {
	t.Parallel()
	var dense bytes.Buffer
	if _, err := hargen.TrackerDense(&dense, hargen.DenseOptions{Requests: 300, Seed: 3, PlantOneIn: 4}); err != nil {
		t.Fatal(err)
	}
	har.ReadBoth(t, "tracker-dense", dense.Bytes(), har.Options{Name: "x.har"})
	har.ReadBoth(t, "tracker-dense (tight)", dense.Bytes(), har.TightOptions)
	var shop bytes.Buffer
	if err := hargen.Generate(&shop, hargen.Options{TargetBytes: 2 << 20, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	har.ReadBoth(t, "shop", shop.Bytes(), har.Options{Name: "x.har"})
	for _, sh := range hargen.Shapes() {
		var b bytes.Buffer
		n := min(sh.Test, 2000) // small: the shape, not the size, is the point
		if err := hargen.Adversarial(&b, sh.Name, hargen.AdversarialOptions{N: n, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		har.ReadBoth(t, sh.Name, b.Bytes(), har.Options{Name: "x.har"})
		har.ReadBoth(t, sh.Name+" (tight)", b.Bytes(), har.TightOptions)
	}
}
