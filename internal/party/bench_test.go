package party

import (
	"context"
	"testing"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

// benchRequests are the ~600 requests of a news site's front page.
func benchRequests(b *testing.B) []harRequest {
	b.Helper()
	reqs := readHAR(b, sharedtest.Path(b, "har", "pagexray-expressen.har"))
	for i := range reqs {
		if reqs[i].page == "" || hostOf(reqs[i].page) == "" {
			reqs[i].page = "https://www.expressen.se/"
		}
	}
	return reqs
}

func benchClassify(b *testing.B, c *Classifier) {
	reqs := benchRequests(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r := reqs[i%len(reqs)]
		_ = c.Classify(r.page, r.url, r.typ)
	}
}

func BenchmarkClassify(b *testing.B) {
	benchClassify(b, newTestClassifier(b, Options{}))
}

func BenchmarkClassifyEasyPrivacy(b *testing.B) {
	benchClassify(b, easyPrivacy(b))
}

func BenchmarkClassifyParallel(b *testing.B) {
	c := easyPrivacy(b)
	reqs := benchRequests(b)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			r := reqs[i%len(reqs)]
			_ = c.Classify(r.page, r.url, r.typ)
		}
	})
}

func BenchmarkEmbeddedLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := buildEmbedded(embeddedTables(), ownersTSV, familiesTSV); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewClassifierEasyPrivacy(b *testing.B) {
	list := sharedtest.Path(b, "lists", "easyprivacy-2023-04.txt")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewClassifier(context.Background(), Options{FilterLists: []string{list}}); err != nil {
			b.Fatal(err)
		}
	}
}
