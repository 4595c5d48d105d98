package leak

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
)

// chainBomb is the text "<email>&pad=" and n 'a' bytes, encoded with enc,
// then gzipped and encoded gzips times: every gzip layer expands about
// 1,000×, and the email sits at the start of the innermost text.
func chainBomb(t *testing.T, enc func([]byte) string, n, gzips int) []byte {
	t.Helper()
	text := append([]byte("alice.smith@example.com&pad="), bytes.Repeat([]byte("a"), n)...)
	out := []byte(enc(text))
	for range gzips {
		var buf bytes.Buffer
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			t.Fatal(err)
		}
		zw.Write(out)
		zw.Close()
		out = []byte(enc(buf.Bytes()))
	}
	return out
}

// TestCutChain: a base64 → gzip → base64 (→ gzip…) chain cut by a budget
// (the expansion ratio or the bytes one value may decode to) still has
// the part before the cut decoded through every remaining layer and
// searched, with the warning that names the limit kept.
func TestCutChain(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		n      int // innermost 'a' bytes
		gzips  int
		budget Budgets
		warn   string
		hex    bool
	}{
		{"ratio cut", 4 << 20, 1, Budgets{MaxExpansion: 20}, "--max-expansion", false},
		{"value cap cut", 4 << 20, 1, Budgets{MaxExpansion: 1 << 20, MaxDecodedBytes: 4 << 20}, "cap per value", false},
		{"value cap cut, tiny", 4 << 20, 1, Budgets{MaxExpansion: 1 << 20, MaxDecodedBytes: 1 << 20}, "cap per value", false},
		{"two gzips, value cap cut", 64 << 20, 2, Budgets{MaxExpansion: 1 << 20, MaxDecodedBytes: 4 << 20, MaxDepth: 4}, "cap per value", false},
		{"two gzips, ratio cut", 64 << 20, 2, Budgets{MaxExpansion: 20, MaxDepth: 4}, "--max-expansion", false},
		{"hex, ratio cut", 4 << 20, 1, Budgets{MaxExpansion: 20}, "--max-expansion", true},
		{"hex, odd ratio cut", 4 << 20, 1, Budgets{MaxExpansion: 21}, "--max-expansion", true},
		{"hex, value cap cut", 4 << 20, 1, Budgets{MaxExpansion: 1 << 20, MaxDecodedBytes: 4 << 20}, "cap per value", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			enc, first := base64.StdEncoding.EncodeToString, "base64"
			if c.hex {
				enc, first = hex.EncodeToString, "hex"
			}
			body := chainBomb(t, enc, c.n, c.gzips)
			r := post("text/plain", body)
			res := alicePool.Scan(r, ScanOptions{Budgets: c.budget})
			if !strings.Contains(strings.Join(res.Warnings, "\n"), c.warn) {
				t.Errorf("no %q warning: %q", c.warn, res.Warnings)
			}
			m, ok := findMatch(res, "email", ChannelBody, "")
			if !ok {
				t.Fatalf("email before the cut not found (body %d bytes):%s\nwarnings %q", len(body), describe(res), res.Warnings)
			}
			if m.Encoding[0] != first || !strings.Contains(strings.Join(m.Encoding, ","), "gzip") {
				t.Errorf("encoding %v, want the chain from base64 through gzip", m.Encoding)
			}
		})
	}
}

// TestCutChainSpendsWithinBudget: decoding the part of a cut chain before
// the cut stays within the value's cap: what the layers produce together
// never passes it.
func TestCutChainSpendsWithinBudget(t *testing.T) {
	t.Parallel()
	body := chainBomb(t, base64.StdEncoding.EncodeToString, 64<<20, 2)
	b := Budgets{MaxExpansion: 1 << 20, MaxDecodedBytes: 2 << 20, MaxDepth: 4}
	s := newScanner(alicePool, ScanOptions{Budgets: b}, 0)
	s.ch = ChannelBody
	var start int
	s.surface("body", func() {
		start = s.budget
		s.field("", body, nil, 0, 0)
	})
	if s.budget < 0 || s.spent > s.b.MaxDecodedBytes || start != s.b.MaxDecodedValue {
		t.Errorf("budget left %d, spent %d of %d (value cap %d, started at %d)", s.budget, s.spent, s.b.MaxDecodedBytes, s.b.MaxDecodedValue, start)
	}
	if _, ok := findMatch(s.finish(), "email", ChannelBody, ""); !ok {
		t.Errorf("email before the cut not found")
	}
}
