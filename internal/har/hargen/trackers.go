package hargen

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// trackerHits make one hit each per page load; plant says whether the hit
// carries the planted values. Adding a vendor is adding an entry.
var trackerHits = []func(g *generator, p *traffic.Page, plant bool) *traffic.Request{
	(*generator).metaGET,
	(*generator).metaBeacon,
	(*generator).ga4Collect,
	(*generator).linkedInWA,
	(*generator).tiktokPixel,
	(*generator).bingAction,
	(*generator).pinterestV3,
	(*generator).klaviyoTrack,
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// normEmail and normZip follow the Meta pixel's normalisation.
func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func normZip(s string) string {
	s, _, _ = strings.Cut(strings.ToLower(strings.TrimSpace(s)), "-")
	return s
}

// digits keeps the digits of a phone number.
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normName is Meta's name normalisation: lowercase, no spaces or ASCII
// punctuation.
func normName(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && !('a' <= r && r <= 'z' || '0' <= r && r <= '9') {
			return -1
		}
		return r
	}, strings.ToLower(s))
}

// name splits the "name" value into first and last name.
func (g *generator) name() (first, last string, ok bool) {
	v, ok := g.value("name")
	if !ok {
		return "", "", false
	}
	first, last, _ = strings.Cut(strings.TrimSpace(v), " ")
	return first, strings.TrimSpace(last), true
}

func (g *generator) value(kind string) (string, bool) {
	v, ok := g.opts.Values[kind]
	return v, ok && v != ""
}

func scriptInit(u, fn string, col int) traffic.Initiator {
	return traffic.Initiator{Type: "script", Stack: []traffic.StackFrame{{Function: fn, URL: u, Column: col}}}
}

var gif = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

func (g *generator) metaParams(p *traffic.Page, plant bool) url.Values {
	q := url.Values{}
	q.Set("id", "1790176861228431")
	q.Set("ev", "PageView")
	q.Set("dl", p.URL)
	q.Set("rl", "https://"+Site+"/")
	q.Set("if", "false")
	q.Set("ts", fmt.Sprint(g.now.UnixMilli()))
	q.Set("sw", "1920")
	q.Set("sh", "1080")
	q.Set("v", "2.9.156")
	q.Set("r", "stable")
	q.Set("fbp", g.fbp)
	if plant {
		if v, ok := g.value("email"); ok {
			q.Set("ud[em]", sha256Hex(normEmail(v)))
		}
		if v, ok := g.value("zip"); ok {
			q.Set("ud[zp]", sha256Hex(normZip(v)))
		}
		if v, ok := g.value("phone"); ok {
			q.Set("ud[ph]", sha256Hex(strings.TrimLeft(digits(v), "0")))
		}
		if first, last, ok := g.name(); ok {
			q.Set("ud[fn]", sha256Hex(normName(first)))
			q.Set("ud[ln]", sha256Hex(normName(last)))
		}
	}
	return q
}

func (g *generator) metaGET(p *traffic.Page, plant bool) *traffic.Request {
	q := g.metaParams(p, plant)
	q.Set("rqm", "GET")
	r := g.request(p, "GET", "https://www.facebook.com/tr/?"+q.Encode(), "image", "image",
		scriptInit("https://connect.facebook.net/en_US/fbevents.js", "sendEvent", 31420))
	r.Response = ok("image/gif", gif)
	return r
}

// metaBeacon is the pixel's navigator.sendBeacon transport: a multipart form.
func (g *generator) metaBeacon(p *traffic.Page, plant bool) *traffic.Request {
	q := g.metaParams(p, plant)
	q.Set("ev", "ViewContent")
	q.Set("cd[content_name]", p.Title)
	q.Set("rqm", "SB")
	boundary := "----WebKitFormBoundary" + randTokenG(g, 16)
	var b bytes.Buffer
	for _, k := range sortedKeys(q) {
		fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=%q\r\n\r\n%s\r\n", boundary, k, q.Get(k))
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	r := g.request(p, "POST", "https://www.facebook.com/tr/", "ping", "empty",
		scriptInit("https://connect.facebook.net/en_US/fbevents.js", "sendBeacon", 30877))
	r.BodyMIME = "multipart/form-data; boundary=" + boundary
	r.Headers = append(r.Headers, traffic.Header{Name: "content-type", Value: r.BodyMIME})
	r.Body = b.Bytes()
	r.Response = ok("text/plain", nil)
	return r
}

func randTokenG(g *generator, n int) string { return randToken(g.rng, n) }

// ga4Collect is a GA4 batch: shared fields in the query, one event a line.
// Planted values travel in plaintext in dl (the page URL) and as event
// parameters.
func (g *generator) ga4Collect(p *traffic.Page, plant bool) *traffic.Request {
	q := fmt.Sprintf("v=2&tid=G-NW4TR8K2&gtm=45je4&_p=%d&cid=%s&ul=en-us&sr=1920x1080&dl=%s&dr=%s&dt=%s&sid=%d&sct=3&seg=1&_s=%d",
		g.rng.Int64N(1e9), g.gaCID, url.QueryEscape(p.URL), url.QueryEscape("https://"+Site+"/"),
		url.QueryEscape(p.Title), g.now.Unix()-600, 1+g.rng.IntN(9))
	lines := []string{"en=page_view&_et=12", "en=scroll&epn.percent_scrolled=90&_et=5230", "en=user_engagement&_et=8120"}
	if plant {
		if v, ok := g.value("tracking_number"); ok {
			lines = append(lines, "en=track_order&ep.tracking_number="+url.QueryEscape(v)+"&_et=40")
		}
		if v, ok := g.value("email"); ok {
			lines = append(lines, "en=generate_lead&ep.customer_email="+url.QueryEscape(v)+"&_et=30")
		}
	}
	r := g.request(p, "POST", "https://region1.google-analytics.com/g/collect?"+q, "ping", "empty",
		scriptInit("https://www.googletagmanager.com/gtag/js?id=G-NW4TR8K2", "Bd", 118233))
	r.BodyMIME = "text/plain;charset=UTF-8"
	r.Body = []byte(strings.Join(lines, "\r\n"))
	r.Response = &traffic.Response{Status: 204, HTTPVersion: "http/2.0", BodySize: 0}
	return r
}

// linkedInWA is the Insight Tag's website-actions POST: base64 of gzip of
// JSON; planted values appear in pageTitle (and url).
func (g *generator) linkedInWA(p *traffic.Page, plant bool) *traffic.Request {
	title := "Northwind Health"
	if plant {
		title = p.Title
	}
	payload, _ := json.Marshal(map[string]any{
		"pids": []int{5412873}, "scriptVersion": 181, "time": g.now.UnixMilli(), "domain": "northwind-health.com",
		"url": p.URL, "pageTitle": title, "websiteSignalRequestId": fmt.Sprintf("%x", g.rng.Uint64()),
		"isTranslated": false, "liFatId": "", "liGiant": "", "signalType": "PAGE_VISIT", "href": "",
	})
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(payload)
	zw.Close()
	r := g.request(p, "POST", "https://px.ads.linkedin.com/wa/", "fetch", "empty",
		scriptInit("https://snap.licdn.com/li.lms-analytics/insight.min.js", "sendPost", 9811))
	r.BodyMIME = "text/plain;charset=UTF-8"
	r.Body = []byte(base64.StdEncoding.EncodeToString(z.Bytes()))
	r.Response = &traffic.Response{Status: 204, HTTPVersion: "http/2.0", BodySize: 0}
	return r
}

func (g *generator) tiktokPixel(p *traffic.Page, plant bool) *traffic.Request {
	user := map[string]any{"anonymous_id": g.ttpID}
	if plant {
		if v, ok := g.value("email"); ok {
			user["sha256_email"] = sha256Hex(normEmail(v))
		}
		if v, ok := g.value("zip"); ok {
			user["zip_code"] = sha256Hex(normZip(v))
		}
		if v, ok := g.value("phone"); ok {
			user["sha256_phone_number"] = sha256Hex("+" + digits(v))
		}
	}
	body, _ := json.Marshal(map[string]any{
		"event": "Pageview", "event_id": fmt.Sprintf("%d_%x", g.now.UnixMilli(), g.rng.Uint32()),
		"message_id": fmt.Sprintf("messageId-%d-%x", g.now.UnixMilli(), g.rng.Uint64()),
		"is_onsite":  false, "timestamp": g.now.Format("2006-01-02T15:04:05.000Z"),
		"context": map[string]any{
			"ad": map[string]any{"sdk_env": "external", "jsb_status": 2}, "user": user,
			"pixel": map[string]any{"code": "CNW7Q2JC77U1KQ8TT4A0"}, "page": map[string]any{"url": p.URL, "referrer": "https://" + Site + "/"},
			"library": map[string]any{"name": "pixel.js", "version": "2.2.1"}, "device": map[string]any{"platform": "pc"},
		},
		"properties": map[string]any{}, "_inspection": map[string]any{},
	})
	r := g.request(p, "POST", "https://analytics.tiktok.com/api/v2/pixel", "fetch", "empty",
		scriptInit("https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=CNW7Q2JC77U1KQ8TT4A0", "send", 61001))
	r.BodyMIME = "application/json"
	r.Body = body
	r.Response = ok("application/json", []byte(`{"code":0,"message":"OK","data":{}}`))
	return r
}

// bingAction is a UET image hit; the planted values ride in p (page URL).
func (g *generator) bingAction(p *traffic.Page, plant bool) *traffic.Request {
	u := p.URL
	if !plant {
		u = "https://" + Site + "/"
	}
	q := fmt.Sprintf("ti=187094%d&Ver=2&mid=%x-%x&sid=%x&vid=%s&vids=0&msclkid=N&pi=918639831&lg=en-US&sw=1920&sh=1080&sc=30&tl=%s&p=%s&r=&lt=%d&evt=pageLoad&sv=1&rn=%d",
		g.rng.IntN(10), g.rng.Uint32(), g.rng.Uint32(), g.rng.Uint32(), g.uetVID, url.QueryEscape(p.Title), url.QueryEscape(u), 800+g.rng.IntN(2000), g.rng.IntN(999999))
	r := g.request(p, "GET", "https://bat.bing.com/action/0?"+q, "image", "image",
		scriptInit("https://bat.bing.com/bat.js", "fireBeacon", 20113))
	r.Response = &traffic.Response{Status: 204, HTTPVersion: "http/2.0", BodySize: 0}
	return r
}

// pinterestV3 is the Pinterest tag's GET with JSON-valued parameters; pd.em
// carries the SHA-256 of the lowercased email.
func (g *generator) pinterestV3(p *traffic.Page, plant bool) *traffic.Request {
	ad, _ := json.Marshal(map[string]any{"loc": p.URL, "ref": "https://" + Site + "/", "if": false, "sh": 1080, "sw": 1920, "is_js": true})
	pd := map[string]any{"np": "gtm"}
	if plant {
		if v, ok := g.value("email"); ok {
			pd["em"] = sha256Hex(normEmail(v))
		}
	}
	pdj, _ := json.Marshal(pd)
	q := url.Values{"event": {"pagevisit"}, "tid": {"2613419824915"}, "ad": {string(ad)}, "pd": {string(pdj)}, "cb": {fmt.Sprint(g.now.UnixMilli())}}
	r := g.request(p, "GET", "https://ct.pinterest.com/v3/?"+q.Encode(), "image", "image",
		scriptInit("https://s.pinimg.com/ct/core.js", "sendRequest", 7720))
	r.Response = ok("image/gif", gif)
	return r
}

// klaviyoTrack is a multipart beacon with a JSON "data" part; the email is
// plaintext in customer_properties.
func (g *generator) klaviyoTrack(p *traffic.Page, plant bool) *traffic.Request {
	cust := map[string]any{"$exchange_id": randTokenG(g, 32)}
	if plant {
		if v, ok := g.value("email"); ok {
			cust["$email"] = v
		}
		if v, ok := g.value("phone"); ok {
			cust["$phone_number"] = v
		}
		if first, last, ok := g.name(); ok {
			cust["$first_name"], cust["$last_name"] = first, last
		}
	}
	data, _ := json.Marshal(map[string]any{
		"event": "__activity__", "token": "NwKl9x",
		"properties":          map[string]any{"page": p.URL, "browser": "Chrome", "os": "Mac", "$use_ip": true},
		"customer_properties": cust,
	})
	boundary := "----WebKitFormBoundary" + randTokenG(g, 16)
	body := fmt.Sprintf("--%s\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n%s\r\n--%s--\r\n", boundary, data, boundary)
	r := g.request(p, "POST", "https://a.klaviyo.com/client/events/?company_id=NwKl9x", "ping", "empty",
		scriptInit("https://static.klaviyo.com/onsite/js/klaviyo.js?company_id=NwKl9x", "t.send", 28360))
	r.BodyMIME = "multipart/form-data; boundary=" + boundary
	r.Body = []byte(body)
	r.Response = ok("text/plain", []byte("1"))
	return r
}

func sortedKeys(q url.Values) []string { return slices.Sorted(maps.Keys(q)) }
