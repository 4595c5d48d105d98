package pixel

import (
	"fmt"
	"reflect"
	"strconv"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// siteKey is a random constant that many cookie values share as a prefix
// ("checkout_<siteKey>_<n>"): a part of every value, one visitor's ID in none.
const siteKey = "wIPXGBCpq3jM6b4lzvPAkOq3CsxWfSLnGwsKPqmc"

// prefixValue is the k-th value of three families sharing long prefixes,
// each value and each of its numbers used once (the essence of hargen's
// cookie-prefixes shape).
func prefixValue(k int) string {
	const ms = 1717405200000
	switch k % 3 {
	case 0:
		return "checkout_" + siteKey + "_" + strconv.Itoa(k)
	case 1:
		return "GA1.2." + strconv.Itoa(1000000000+k*7919) + "." + strconv.Itoa(ms/1000+k)
	}
	return strconv.Itoa(ms + k)
}

// prefixRequests returns n requests to five hosts, each sending perReq
// cookies of prefixValue and echoing the first few in its own URL, plus
// the extra cookies (name, value pairs) on every request.
func prefixRequests(n, perReq int, extra ...string) []*traffic.Request {
	var out []*traffic.Request
	for i := range n {
		u := fmt.Sprintf("https://sync.prefix%d.example/sync?", i%5)
		var kv []string
		for k := range perReq {
			v := prefixValue(i*perReq + k)
			kv = append(kv, "c"+strconv.Itoa(k), v)
			if k < 3 {
				u += "u" + strconv.Itoa(k) + "=" + v + "&"
			}
		}
		u += "t=" + strconv.Itoa(1717405200000+i)
		out = append(out, withCookies(u, append(kv, extra...)...))
	}
	return out
}

func TestSharedPrefixesAreNotIdentifiers(t *testing.T) {
	t.Parallel()
	const page = "https://shop.example/"
	const id = "Hq7Lm2Xv9Pw3Kd8R"
	oneCookie := func(n int, suffix func(int) string) []*traffic.Request {
		var out []*traffic.Request
		for i := range n {
			out = append(out, withCookies(fmt.Sprintf("https://px.tracker.example/p?n=%d", i), "st", suffix(i)))
		}
		return append(out, get("https://match.broker.example/s?u="+id))
	}
	cases := []struct {
		name string
		reqs []*traffic.Request
		want []string
	}{
		{"values sharing long prefixes", prefixRequests(60, 12), nil},
		{"a whole shared ID among them", append(prefixRequests(60, 12, "uid", id),
			get("https://match.broker.example/s?u="+id)),
			[]string{id + " uid→broker.example 60"}},
		{"an ID in a cookie rewritten per event", oneCookie(40, func(i int) string {
			return id + "." + strconv.Itoa(1717405200+i) + "." + strconv.Itoa(i)
		}), []string{id + " st→broker.example 40"}},
		{"a part of hundreds of one cookie's values", oneCookie(300, func(i int) string {
			return id + "_" + strconv.Itoa(i)
		}), nil},
		{"a few hosts echo their own values sharing a prefix", echoRequests(6), nil},
		{"another host's whole value is still a sync", append(echoRequests(2),
			get("https://sync.echo9.example/s?v=checkout_"+siteKey+"_0")),
			[]string{siteKey + " cart→echo9.example 2"}},
		{"an ID copied into a few cookies", []*traffic.Request{
			withCookies("https://shop.example/", "AMCV_x", "MCMID|"+id+"|MCAAMLH-1717405200",
				"s_ecid", "MCMID|"+id, "mirror", id+"|1717405201"),
			withCookies("https://shop.example/b", "AMCV_x", "MCMID|"+id+"|MCAAMLH-1717405300"),
			get("https://match.broker.example/s?u=" + id),
		}, []string{id + " AMCV_x→broker.example 2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := syncSummary(runAnalyzer(page, tc.reqs...))
			if len(got) > 3 {
				got = got[:3]
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// echoRequests returns n requests to n hosts, each sending its own cookie
// "checkout_<siteKey>_<i>" (too few values for sharedPart) and echoing
// that whole value in its URL.
func echoRequests(n int) []*traffic.Request {
	var out []*traffic.Request
	for i := range n {
		v := "checkout_" + siteKey + "_" + strconv.Itoa(i)
		out = append(out, withCookies(fmt.Sprintf("https://sync.echo%d.example/s?v=%s", i, v), "cart", v))
	}
	return out
}

func TestSharedPart(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		cookies []string // one value per entry, name=value
		want    bool
	}{
		{"one value", []string{"a"}, false},
		{"few cookies", []string{"a", "b", "c", "a", "b"}, false},
		{"many values of several cookies", repeatNames(maxSharedValues, "a", "b", "c"), true},
		{"one fewer value of several cookies", repeatNames(maxSharedValues-1, "a", "b", "c"), false},
		{"many values of one cookie", repeatNames(maxSharedValues, "a"), false},
		{"many values of two cookies", repeatNames(2*maxSharedValues, "a", "b"), false},
		{"very many values of two cookies", repeatNames(maxSharedValuesFewCookie, "a", "b"), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var c candidate
			for _, name := range tc.cookies {
				c.countValue(name, false)
			}
			if got := c.sharedPart(); got != tc.want {
				t.Errorf("sharedPart = %v, want %v", got, tc.want)
			}
			c.countValue("z", true)
			if c.sharedPart() {
				t.Error("a candidate that was a whole value is shared")
			}
		})
	}
}

func repeatNames(n int, names ...string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = names[i%len(names)]
	}
	return out
}
