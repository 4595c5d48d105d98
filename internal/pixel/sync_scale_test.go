package pixel

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// syntheticPage is the page of the synthetic ad-tech captures.
const syntheticPage = "https://news.example/article/2024/some-story?utm_source=feed"

// syntheticTraffic returns n requests shaped like ad-tech traffic: third-
// party GETs with 15–40 random-ID parameters (numbers, hex, base64,
// word_xxxx tokens, encoded page URLs), a 0.5–3 KB Cookie header of 8–40
// random cookies (some sharing long prefixes: checkout_…, GA1.2.…,
// 13-digit numbers), a quarter of them POSTs with 1–12 KB bodies. Cookie
// values are drawn from a pool so that some reach third parties' URLs.
func syntheticTraffic(n int, seed uint64) []*traffic.Request {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	pool := make([]string, 400)
	for i := range pool {
		pool[i] = randomValue(rng)
	}
	hosts := make([]string, 150)
	for i := range hosts {
		hosts[i] = fmt.Sprintf("px%d.adtech%d.example", i, i%60)
	}
	out := make([]*traffic.Request, n)
	for i := range out {
		h := hosts[rng.IntN(len(hosts))]
		var q []string
		for k, m := 0, 15+rng.IntN(26); k < m; k++ {
			v := randomValue(rng)
			if rng.IntN(8) == 0 {
				v = pool[rng.IntN(len(pool))]
			}
			q = append(q, fmt.Sprintf("p%d=%s", k, url.QueryEscape(v)))
		}
		r := &traffic.Request{Index: i, Method: "GET", URL: "https://" + h + "/sync?" + strings.Join(q, "&")}
		var c []string
		for k, m := 0, 8+rng.IntN(33); k < m; k++ {
			c = append(c, fmt.Sprintf("c%d=%s", rng.IntN(60), pool[rng.IntN(len(pool))]))
		}
		r.Headers = traffic.Headers{{Name: "Cookie", Value: strings.Join(c, "; ")}}
		if rng.IntN(4) == 0 {
			r.Method, r.BodyMIME = "POST", "application/x-www-form-urlencoded"
			r.Body = []byte(strings.Repeat(randomValue(rng)+"&", 1+rng.IntN(12)*40))
		}
		out[i] = r
	}
	return out
}

func randomValue(rng *rand.Rand) string {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	rnd := func(alphabet string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	switch rng.IntN(7) {
	case 0:
		return fmt.Sprint(1_000_000_000_000 + rng.Int64N(9_000_000_000_000))
	case 1:
		return rnd("0123456789abcdef", 32)
	case 2:
		return rnd(alnum+"+/", 22) + "=="
	case 3:
		return "checkout_" + rnd(alnum, 12)
	case 4:
		return fmt.Sprintf("GA1.2.%d.%d", rng.Int32(), 1_600_000_000+rng.IntN(100_000_000))
	case 5:
		return syntheticPage + "&id=" + rnd(alnum, 10)
	}
	return rnd("abcdefghijklmnopqrstuvwxyz", 5) + "_" + rnd(alnum, 4)
}

// analyzeSynthetic runs the analyzer over reqs and returns the CPU time
// taken and the number of cookie-sync findings.
func analyzeSynthetic(reqs []*traffic.Request) (time.Duration, int) {
	runtime.GC()
	start := sharedtest.CPUTime()
	a := NewAnalyzer()
	for _, r := range reqs {
		a.Request(r, testParty(syntheticPage, r.URL), syntheticPage)
	}
	n := len(findingsOf(a.Findings(), FindingCookieSync))
	return sharedtest.CPUTime() - start, n
}

// TestSyncScalesLinearly times the analysis of N and 10N synthetic
// tracker-dense requests: linear work takes about 10× as long. Set
// LEAKWATCH_SCALING=1 to run it (timing on a shared machine is noisy).
func TestSyncScalesLinearly(t *testing.T) {
	if testing.Short() || !scalingEnabled() {
		t.Skip("set LEAKWATCH_SCALING=1 to time the analysis at N and 10N requests")
	}
	const n = 1000
	small, large := syntheticTraffic(n, 1), syntheticTraffic(10*n, 1)
	best := func(reqs []*traffic.Request) (time.Duration, int) {
		var d time.Duration
		var found int
		for i := 0; i < 3; i++ {
			x, f := analyzeSynthetic(reqs)
			if i == 0 || x < d {
				d, found = x, f
			}
		}
		return d, found
	}
	ds, fs := best(small)
	dl, fl := best(large)
	ratio := float64(dl) / float64(ds)
	t.Logf("N=%d: %v (%d sync findings); 10N=%d: %v (%d sync findings); ratio %.1f",
		n, ds, fs, 10*n, dl, fl, ratio)
	if ratio > 12 {
		t.Errorf("10× the requests took %.1f× the time, want about 10×", ratio)
	}
}

func BenchmarkAnalyzerSynthetic(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		reqs := syntheticTraffic(n, 1)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				analyzeSynthetic(reqs)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/request")
		})
	}
}

func scalingEnabled() bool { return os.Getenv("LEAKWATCH_SCALING") != "" }
