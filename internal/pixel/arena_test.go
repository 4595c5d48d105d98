package pixel

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

func TestStrTable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		values []string
		limit  int
		want   int // strings held at the end
	}{
		{"empty", nil, 0, 0},
		{"distinct and repeated", []string{"a", "bb", "a", "", "ccc", "bb"}, 0, 4},
		{"across chunks", manyStrings(20_000, 37), 0, 20_000},
		{"long strings", []string{strings.Repeat("x", maxByteChunk), strings.Repeat("y", 100)}, 0, 2},
		{"too long", []string{strings.Repeat("x", maxByteChunk+1)}, 0, 0},
		{"budget", manyStrings(1000, 50), 4096, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			b := &byteBudget{limit: c.limit}
			tab := newStrTable(b)
			held := map[string]int{}
			for _, v := range c.values {
				id, added, ok := tab.add(v)
				if !ok {
					if c.limit == 0 && len(v) <= maxByteChunk {
						t.Fatalf("add(%.20q) refused without a limit", v)
					}
					continue
				}
				if old, seen := held[v]; seen && (added || old != id) {
					t.Fatalf("add(%.20q) = %d, %v; first added as %d", v, id, added, old)
				}
				held[v] = id
			}
			if c.want >= 0 && tab.len() != c.want {
				t.Errorf("len = %d, want %d", tab.len(), c.want)
			}
			if c.limit > 0 && (b.used > c.limit || tab.len() == 0 || tab.len() == len(c.values)) {
				t.Errorf("with a %d-byte limit: used %d, held %d of %d", c.limit, b.used, tab.len(), len(c.values))
			}
			for v, id := range held {
				if got := tab.str(id); got != v || tab.find(v) != id || !tab.has(v) {
					t.Fatalf("string %d = %.20q (find %d), want %.20q", id, got, tab.find(v), v)
				}
			}
			if tab.has("absent") || (*strTable)(nil).has("a") {
				t.Error("has reports a string never added")
			}
		})
	}
}

func manyStrings(n, size int) []string {
	out := make([]string, n)
	for i := range out {
		s := fmt.Sprintf("%d-", i)
		out[i] = s + strings.Repeat("v", max(0, size-len(s)))
	}
	return out
}

func TestChunkList(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, minListChunk, minListChunk + 1, 9000, 30_000} {
		var l chunkList[int32]
		for i := range n {
			if got := l.add(int32(i * 3)); got != i {
				t.Fatalf("add #%d returned %d", i, got)
			}
		}
		for i := range n {
			if l.at(i) != int32(i*3) || *l.ref(i) != int32(i*3) {
				t.Fatalf("n=%d: element %d = %d, want %d", n, i, l.at(i), i*3)
			}
		}
		count := 0
		l.each(func(i int, v int32) {
			if v != int32(i*3) {
				t.Fatalf("each: element %d = %d", i, v)
			}
			count++
		})
		if count != n || l.n != n {
			t.Errorf("n=%d: each saw %d, len %d", n, count, l.n)
		}
	}
}

// TestSyncBudgetIsMemory checks that the kept-URL budget is the memory the
// cookie-sync state holds: an analyzer filled to its budget keeps no more
// than the budget on the heap (measured, not taken from the counter), and
// the budget does fill (a warning says what was not kept). Host-label
// tokens are capped by count, apart from the budget, and measured apart.
func TestSyncBudgetIsMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("heap measurement")
	}
	const budget = 4 << 20
	cases := []struct {
		name string
		url  func(i int) string
	}{
		{"few hosts", func(i int) string { return fmt.Sprintf("https://t%d.tracker.example/c?u=%d&e=view_%d", i%50, i, i) }},
		{"a host each", func(i int) string { return fmt.Sprintf("https://px.h%d-tracker.example/p?i=%d", i, i) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Not parallel: each case measures the heap.
			a, grown := fillAnalyzer(budget, 200_000, c.url)
			tokens := a.hostTokens.budget.used
			if a.kept.used > budget {
				t.Errorf("counted %d bytes, over the %d-byte budget", a.kept.used, budget)
			}
			// Slack: the analyzer's fixed tables and per-host state of others.
			if limit := uint64(budget + budget/8 + tokens + 512<<10); grown > limit {
				t.Errorf("the analyzer grew the heap by %d bytes under a %d-byte budget (counted %d, host tokens %d)",
					grown, budget, a.kept.used, tokens)
			}
			w := a.Warnings()
			if len(w) == 0 || !strings.Contains(w[0], "budget of kept URL text") {
				t.Errorf("the budget did not fill: warnings %q", w)
			}
			t.Logf("budget %d, counted %d, heap grown %d (host tokens %d), URLs kept %d",
				budget, a.kept.used, grown, tokens, a.urls.n)
		})
	}
}

// fillAnalyzer sends n third-party requests to a new analyzer with the
// given URL budget and returns it with how much it grew the heap.
func fillAnalyzer(budget, n int, url func(int) string) (*Analyzer, uint64) {
	const page = "https://site.example/"
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	a := NewAnalyzerWith(AnalyzerOptions{MaxKeptURLBytes: budget})
	for i := range n {
		r := get(url(i))
		r.Index = i
		a.Request(r, testParty(page, r.URL), page)
	}
	grown := heap() - before
	runtime.KeepAlive(a)
	return a, grown
}
