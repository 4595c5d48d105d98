package redact

import (
	"encoding/base64"
	"encoding/hex"
	"maps"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

// memoTexts are texts of random identifiers (many of them sniffed as raw
// deflate or tried as lz-string), compressed and lz-string data holding a
// secret or not, hex, and their escaped forms, repeating as a capture and
// its report repeat them.
func memoTexts(seed uint64, n int) []string {
	rng := rand.New(rand.NewPCG(seed, 11))
	const lz = "N4IgpgtghglgNiAXCALmAzigAmzA6AYwHsIQAaEAmFATyRAFkwA7OIgAgAUoAnAaxABfIA" // {"email":"test@test.com","city":"Menlo Park"}
	secretJSON := []byte(`{"password":"Hunter2!Typed","q":"Menlo Park"}`)
	plainJSON := []byte(`{"q":"nothing here at all","n":12}`)
	fixed := []string{lz, lz + "==", base64.StdEncoding.EncodeToString(zl(secretJSON)),
		base64.RawURLEncoding.EncodeToString(rawDeflate(secretJSON)), base64.StdEncoding.EncodeToString(rawDeflate(plainJSON)),
		hex.EncodeToString(rawDeflate(secretJSON)), hex.EncodeToString(zl(plainJSON)), "token=abcdefghijkl", "pw=Hunter2!Typed",
		"Menlo Park", "Bearer abcdefgh1234", "/v1/collect/" + base64.RawURLEncoding.EncodeToString(rawDeflate(secretJSON))}
	ids := make([]string, 40)
	for k := range ids {
		b := make([]byte, 6+rng.IntN(40))
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		switch k % 3 {
		case 0:
			ids[k] = base64.RawURLEncoding.EncodeToString(b)
		case 1:
			ids[k] = base64.StdEncoding.EncodeToString(b)
		default:
			ids[k] = hex.EncodeToString(b)
		}
	}
	out := make([]string, n)
	for k := range out {
		var b strings.Builder
		for j := range 1 + rng.IntN(8) {
			p := ids[rng.IntN(len(ids))]
			if rng.IntN(4) == 0 {
				p = fixed[rng.IntN(len(fixed))]
			}
			if rng.IntN(5) == 0 {
				p = url.QueryEscape(p)
			}
			b.WriteString("&k" + string(rune('a'+j)) + "=" + p)
		}
		out[k] = b.String()
	}
	return out
}

// TestDeadEndsSame: remembering the runs and streams that decode to no
// text changes no redaction, masking or learning, whatever budget each
// walk has left (a limit that depends on the budget is never remembered).
func TestDeadEndsSame(t *testing.T) {
	t.Parallel()
	texts := memoTexts(1, 3000)
	budgets := []int{layerBudget, 50, 300, 70 << 10, 1 << 20, layerBudget}
	with, without := newRedactor(Options{Secrets: []string{"Menlo Park"}}), newRedactor(Options{Secrets: []string{"Menlo Park"}})
	without.inf.dead = nil
	for _, r := range []*redactor{with, without} {
		r.learned = nil
		for _, s := range texts[:500] {
			r.harvestText(s)
		}
		r.finish()
	}
	if !maps.Equal(with.secrets, without.secrets) {
		t.Fatalf("learned %d secrets, without dead ends %d", len(with.secrets), len(without.secrets))
	}
	m1, m2 := newMasker([]string{"Menlo Park", "M****"}), newMasker([]string{"Menlo Park", "M****"})
	m2.inf.dead = nil
	for k, s := range texts {
		b := budgets[k%len(budgets)]
		walk := func(flat, held func(string) string, inf *decoders) string {
			l := newLayered(flat, held, "redacted", inf)
			l.budget = b
			return l.rewrite(s, 0)
		}
		if got, want := walk(with.flat, with.held, &with.inf), walk(without.flat, without.held, &without.inf); got != want {
			t.Fatalf("redacting %q (budget %d):\n got  %q\n want %q", s, b, got, want)
		}
		if got, want := walk(m1.rep.Replace, with.held, &m1.inf), walk(m2.rep.Replace, with.held, &m2.inf); got != want {
			t.Fatalf("masking %q (budget %d):\n got  %q\n want %q", s, b, got, want)
		}
	}
	if with.inf.dead.slots == nil {
		t.Fatal("no dead end remembered")
	}
}

// TestLearnedSame: learning from each text once learns what learning
// from every copy did.
func TestLearnedSame(t *testing.T) {
	t.Parallel()
	texts := memoTexts(2, 2000)
	once, every := newRedactor(Options{}), newRedactor(Options{})
	every.learned = nil
	for _, r := range []*redactor{once, every} {
		for _, s := range texts {
			r.harvestText(s)
			r.harvestHeader("Cookie", "sessionid=abcdefghijklmnop; _ga=GA1.2.3.4", "example.com")
			r.harvestHeader("Cookie", s[:min(len(s), 20)]+"; sid=0123456789abcdef", "example.com")
		}
	}
	if !maps.Equal(once.secrets, every.secrets) || len(once.secrets) == 0 {
		t.Fatalf("learned %d secrets, from every copy %d", len(once.secrets), len(every.secrets))
	}
}
