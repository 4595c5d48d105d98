package consent

import (
	"bytes"
	"context"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/har/hargen"
	"github.com/leakwatch/leakwatch/internal/pixel"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// The tests of this file hold the Collector, Observe and Detect to the
// former code (oracle_test.go): same signals per request, same platforms
// and evidence, over real captures, tracker-dense and adversarial
// shapes, and those shapes with consent fields written into them.

// sameAsOracle fails unless the Collector, ObserveAll and DetectSignals
// agree with the oracle on every request of c.
func sameAsOracle(t *testing.T, c *traffic.Capture) {
	t.Helper()
	col, old := NewCollector(), newOldCollector()
	for _, r := range c.Requests {
		if r == nil {
			continue
		}
		hits := pixel.Decode(r)
		got, want := col.Add(r, hits), old.Add(r, hits)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("request %d %.200s:\n got %+v\nwant %+v", r.Index, r.URL, got, want)
		}
	}
	gs, gd := col.Signals()
	ws, wd := old.sigs, old.dropped
	if !reflect.DeepEqual(gs, ws) || gd != wd {
		t.Errorf("signals differ: %d (+%d) vs %d (+%d)", len(gs), gd, len(ws), wd)
	}
	if gp, wp := col.Platforms(), old.det.platforms(); !reflect.DeepEqual(gp, wp) {
		t.Errorf("platforms\n got %+v\nwant %+v", gp, wp)
	}
	reqs := Requests(c)
	sigs, oldSigs := ObserveAll(reqs), oldObserveAll(reqs)
	if !reflect.DeepEqual(sigs, oldSigs) {
		t.Errorf("ObserveAll: %d signals, oracle %d", len(sigs), len(oldSigs))
	}
	if gp, wp := DetectSignals(reqs, sigs), oldDetectSignals(reqs, oldSigs); !reflect.DeepEqual(gp, wp) {
		t.Errorf("DetectSignals\n got %+v\nwant %+v", gp, wp)
	}
}

func TestSameAsOracleOnRealCaptures(t *testing.T) {
	t.Parallel()
	files := sharedtest.Captures(t)
	if len(files) < 54 {
		t.Fatalf("%d captures, want the 12 HARs and 42 real-world captures", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			c, err := har.ReadFile(context.Background(), f, har.Options{})
			if err != nil {
				t.Fatal(err)
			}
			sameAsOracle(t, c)
			sameAsOracle(t, withConsentFields(c, 1))
		})
	}
}

func TestSameAsOracleOnGeneratedShapes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		gen  func(tb testing.TB) *traffic.Capture
	}{
		{"dense seed 1", func(tb testing.TB) *traffic.Capture { return denseCapture(tb, 1000, 1) }},
		{"dense seed 7", func(tb testing.TB) *traffic.Capture { return denseCapture(tb, 1000, 7) }},
		{"amplify", func(tb testing.TB) *traffic.Capture { return adversarialCapture(tb, "amplify", 5000) }},
		{"cookie-prefixes", func(tb testing.TB) *traffic.Capture { return adversarialCapture(tb, "cookie-prefixes", 300) }},
		{"many-headers", func(tb testing.TB) *traffic.Capture { return adversarialCapture(tb, "many-headers", 2000) }},
		{"deep-json-body", func(tb testing.TB) *traffic.Capture { return adversarialCapture(tb, "deep-json-body", 2000) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := tc.gen(t)
			sameAsOracle(t, c)
			for seed := range int64(3) {
				sameAsOracle(t, withConsentFields(c, seed))
			}
		})
	}
}

// adversarialCapture reads a hargen adversarial shape of size n.
func adversarialCapture(tb testing.TB, shape string, n int64) *traffic.Capture {
	tb.Helper()
	var buf bytes.Buffer
	if err := hargen.Adversarial(&buf, shape, hargen.AdversarialOptions{N: n, Seed: 1}); err != nil {
		tb.Fatal(err)
	}
	c, err := har.Read(context.Background(), &buf, har.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// writtenFields are written into requests by withConsentFields: the
// channels in their usual and unusual spellings (case, percent-escaped
// names, Unicode case folding, macros, values that do not decode), and
// names that only look like them.
var writtenFields = struct{ query, path, cookie, json, form []string }{
	query: []string{"gdpr=1", "gdpr=0", "gdpr=yes", "gdpr_consent=" + gppSpecTC, "GDPR_Consent=" + sirdataFull,
		"gdpr%5Fconsent=" + gppSpecTC, "gdpr_consent=${GDPR_CONSENT_755}", "gdpr_consent=", "consent=" + gppSpecTC,
		"consent=granted", "us_privacy=1YNN", "us%5Fprivacy=1---", "u%C5%BF_privacy=1YNN", "usp=1YNN", "usp=abc",
		"gpp=DBABMA~" + gppSpecTC, "gpp=nope", "gpp_sid=2", "gpp_sid=2_7", "gpp_sid=x", "addtl_consent=1~1.35.41",
		"addtl_consent=3~", "tcstring=" + gppSpecTC, "gcs=G111", "gcd=13l3l3l3l1l1", "npa=1", "dma=0",
		"gdpr+consent=x", "gdpr_consent=%ZZ", "ccpa=1YNY", "gdpr_consent5=x", "euconsent=" + gppSpecTC},
	path: []string{";gdpr=1;gdpr_consent=" + gppSpecTC, ";us_privacy=1YNN", "/gcs=G100;npa=1", ";gdpr_consent=%2A"},
	cookie: []string{"euconsent-v2=" + gppSpecTC, "usprivacy=1YNN", "us_privacy=1%2D%2D%2D", "__gpp=DBABMA~" + gppSpecTC,
		"__gpp_sid=2", "OptanonConsent=groups%3DC0001", "CookieConsent={stamp:%27abc%27}", "CookieConsent=none",
		"cookieconsentbulksetting-x=1", "COOKIECONSENTBULKSETTING-=1", "CooKieConsentBulkSetting-a=1", "CooKieConsent=stamp:1", "cmplz_marketing=allow",
		"_sp_v1_data=1", "_SP_V1_x=2", "didomi_token=abc", "FCCDCF=x", "notice_gdpr_prefs=0", "_ſp_su=1", "consentUUID=u",
		"addtl_consent=1~7.8", "gdpr_consent=" + gppSpecTC, "OTGPPConsent=DBABMA~" + gppSpecTC, "uc_settings=1"},
	json: []string{`"regs":{"gdpr":1,"us_privacy":"1YNN","gpp":"DBABMA~` + gppSpecTC + `","gpp_sid":[2,7]}`,
		`"user":{"ext":{"consent":"` + gppSpecTC + `"}}`, `"gdpr\u005fconsent":"` + gppSpecTC + `"`,
		`"GDPR_APPLIES":true`, `"consent":"granted"`, `"usp":"1YN-"`, `"list":["consent","gdpr"]`, `"gdpr_consent" :"x"`,
		`"uſ_privacy":"1YNN"`, `"tcString":"` + gppSpecTC + `"`},
	form: []string{"gdpr=1", "gdpr_consent=" + gppSpecTC, "us_privacy=1YNN", "consent=x", "gpp_sid=2%2C7"},
}

// withConsentFields copies a capture, writing up to three consent
// fields (writtenFields) into each request's URL, path, cookies or body.
func withConsentFields(c *traffic.Capture, seed int64) *traffic.Capture {
	rng := rand.New(rand.NewPCG(uint64(seed), 99))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	out := *c
	out.Requests = nil
	for _, r := range c.Requests {
		if r == nil {
			continue
		}
		cp := *r
		cp.Headers = append(traffic.Headers(nil), r.Headers...)
		cp.Cookies = append([]traffic.Cookie(nil), r.Cookies...)
		for range rng.IntN(4) {
			addConsentField(&cp, rng, pick)
		}
		out.Requests = append(out.Requests, &cp)
	}
	return &out
}

func addConsentField(r *traffic.Request, rng *rand.Rand, pick func([]string) string) {
	switch rng.IntN(6) {
	case 0:
		sep := "?"
		if strings.Contains(r.URL, "?") {
			sep = "&"
		}
		r.URL += sep + pick(writtenFields.query)
	case 1:
		if u, q, ok := strings.Cut(r.URL, "?"); ok {
			r.URL = u + pick(writtenFields.path) + "?" + q
		} else {
			r.URL += pick(writtenFields.path)
		}
	case 2:
		r.Headers = append(r.Headers, traffic.Header{Name: "Cookie", Value: pick(writtenFields.cookie) + "; a=b"})
	case 3:
		name, value, _ := strings.Cut(pick(writtenFields.cookie), "=")
		r.Cookies = append(r.Cookies, traffic.Cookie{Name: name, Value: value})
	case 4:
		if len(r.Body) > 0 && r.Body[0] == '{' {
			r.Body = []byte("{" + pick(writtenFields.json) + "," + string(r.Body[1:]))
		} else if len(r.Body) == 0 {
			r.Body, r.BodyMIME = []byte("{"+pick(writtenFields.json)+"}"), "application/json"
		}
	default:
		if len(r.Body) > 0 && r.Body[0] != '{' {
			r.Body = []byte(string(r.Body) + "&" + pick(writtenFields.form))
		} else if len(r.Body) == 0 {
			r.Body, r.BodyMIME = []byte(pick(writtenFields.form)), "application/x-www-form-urlencoded"
		}
	}
}
