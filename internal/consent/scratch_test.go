package consent

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

func TestScratch(t *testing.T) {
	files, _ := filepath.Glob(sharedtest.Path(t, "realworld", "*.har.gz"))
	for _, f := range files {
		c, err := har.ReadFile(context.Background(), f, har.Options{})
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, s := range ObserveAll(Requests(c)) {
			k := string(s.Kind) + ":" + s.Source + ":" + s.Field
			if s.Err != "" {
				k += " ERR " + s.Err
			}
			switch {
			case s.ConsentMode != nil:
				k += " " + s.Raw
			case s.USP != nil, s.Applies != nil:
				k += " " + s.Raw
			case s.LDU != nil:
				k += fmt.Sprintf(" %+v", *s.LDU)
			case s.TC != nil:
				k += fmt.Sprintf(" cmp=%d", s.TC.CMPID)
			}
			counts[k]++
		}
		var keys []string
		for k := range counts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Println("==", filepath.Base(f))
		for _, k := range keys {
			fmt.Printf("   %4d %s\n", counts[k], k)
		}
	}
}
