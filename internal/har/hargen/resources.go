package hargen

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

var jsSnippets = []string{
	"function %[1]s(e,t){var n=this;return e&&t?n.%[1]s(e,t):void 0}",
	"var %[1]s=function(){\"use strict\";return{init:function(o){this.%[1]s=o||{}}}}();",
	"window.dataLayer=window.dataLayer||[];dataLayer.push({event:\"%[1]s\",value:%[2]d});",
	"e.prototype.%[1]s=function(t){for(var r=0;r<t.length;r++)this.q.push(t[r]);return %[2]d};",
	"if(typeof %[1]s!==\"undefined\"){document.querySelectorAll(\".%[1]s\").forEach(function(x){x.hidden=!1})}",
	"/*! %[1]s v%[2]d.2.0 | (c) vendor | MIT license */",
	"fetch(\"/api/%[1]s\",{method:\"POST\",body:JSON.stringify({n:%[2]d})}).then(function(r){return r.json()});",
}

var words = []string{"cart", "track", "render", "observe", "consent", "product", "queue", "sync", "hydrate", "checkout", "widget", "lazy"}

// scriptPool returns n bytes of minified-looking JavaScript.
func scriptPool(rng *rand.Rand, n int) []byte {
	var b bytes.Buffer
	for b.Len() < n {
		s := jsSnippets[rng.IntN(len(jsSnippets))]
		fmt.Fprintf(&b, s, words[rng.IntN(len(words))], rng.IntN(1000))
		if rng.IntN(8) == 0 {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()[:n]
}

// htmlPool returns n bytes of page markup.
func htmlPool(rng *rand.Rand, n int) []byte {
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Northwind Health</title></head><body>\n")
	for b.Len() < n {
		w := words[rng.IntN(len(words))]
		fmt.Fprintf(&b, "<div class=\"%s-%d\"><a href=\"/tests/%s/\">%s test</a><p>Results in %d days.</p></div>\n", w, rng.IntN(100), w, w, 2+rng.IntN(5))
	}
	return b.Bytes()[:n]
}

// cut returns n bytes of pool starting at a random offset.
func (g *generator) cut(pool []byte, n int) []byte {
	n = min(max(1, int(float64(n)*g.scale)), len(pool))
	off := g.rng.IntN(len(pool) - n + 1)
	return append([]byte(nil), pool[off:off+n]...)
}

func randToken(rng *rand.Rand, n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}

func replaceAll(s, old, new string) string { return strings.ReplaceAll(s, old, new) }

var chromeHeaders = traffic.Headers{
	{Name: "sec-ch-ua", Value: `"Chromium";v="126", "Google Chrome";v="126", "Not-A.Brand";v="99"`},
	{Name: "sec-ch-ua-platform", Value: `"macOS"`},
	{Name: "user-agent", Value: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"},
}

// request builds a request of page p with the common Chrome headers.
func (g *generator) request(p *traffic.Page, method, u, typ, dest string, in traffic.Initiator) *traffic.Request {
	h := append(traffic.Headers{{Name: "accept-language", Value: "en-US,en;q=0.9"}}, chromeHeaders...)
	h = append(h, traffic.Header{Name: "sec-fetch-dest", Value: dest}, traffic.Header{Name: "referer", Value: p.URL})
	return &traffic.Request{
		PageID: p.ID, URL: u, Method: method, HTTPVersion: "http/2.0", Headers: h,
		ResourceType: typ, Initiator: in, Started: g.tick(40),
	}
}

func ok(mime string, body []byte) *traffic.Response {
	return &traffic.Response{
		Status: 200, HTTPVersion: "http/2.0", MIME: mime, Body: body, BodySize: int64(len(body)),
		Headers: traffic.Headers{{Name: "content-type", Value: mime}, {Name: "cache-control", Value: "max-age=3600"}},
	}
}

func (g *generator) document(p *traffic.Page) *traffic.Request {
	r := g.request(p, "GET", p.URL, "document", "document", traffic.Initiator{Type: "other"})
	r.Cookies = []traffic.Cookie{{Name: "_fbp", Value: g.fbp, Domain: ".northwind-health.com", Path: "/"}, {Name: "_ga", Value: "GA1.1." + g.gaCID}}
	r.Response = ok("text/html", g.cut(g.html, 40<<10+g.rng.IntN(80<<10)))
	return r
}

var scriptURLs = []string{
	"https://" + Site + "/wp-includes/js/jquery/jquery.min.js",
	"https://" + Site + "/static/js/app.%d.js",
	"https://" + Site + "/static/js/vendor.%d.js",
	"https://connect.facebook.net/en_US/fbevents.js",
	"https://www.googletagmanager.com/gtag/js?id=G-NW%d",
	"https://snap.licdn.com/li.lms-analytics/insight.min.js",
	"https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=C%dNW",
	"https://bat.bing.com/bat.js",
	"https://s.pinimg.com/ct/core.js",
	"https://static.klaviyo.com/onsite/js/klaviyo.js?company_id=NW%d",
}

func (g *generator) script(p *traffic.Page) *traffic.Request {
	u := scriptURLs[g.rng.IntN(len(scriptURLs))]
	if strings.Contains(u, "%d") {
		u = fmt.Sprintf(u, g.rng.IntN(90000)+10000)
	}
	r := g.request(p, "GET", u, "script", "script", traffic.Initiator{Type: "parser", URL: p.URL, Line: g.rng.IntN(900)})
	r.Response = ok("application/javascript", g.cut(g.pool, 50<<10+g.rng.IntN(550<<10)))
	return r
}

func (g *generator) stylesheet(p *traffic.Page) *traffic.Request {
	r := g.request(p, "GET", "https://"+Site+"/static/css/site.css?ver=6.5", "stylesheet", "style", traffic.Initiator{Type: "parser", URL: p.URL, Line: 12})
	var b strings.Builder
	for b.Len() < 20<<10 {
		fmt.Fprintf(&b, ".%s-%d{margin:%dpx;color:#%06x}\n", words[g.rng.IntN(len(words))], g.rng.IntN(100), g.rng.IntN(40), g.rng.IntN(1<<24))
	}
	r.Response = ok("text/css", []byte(b.String()))
	return r
}

func (g *generator) image(p *traffic.Page) *traffic.Request {
	u := fmt.Sprintf("https://%s/wp-content/uploads/2024/04/product-%d.webp", Site, g.rng.IntN(500))
	if g.rng.IntN(3) == 0 {
		u = fmt.Sprintf("https://cdn.northwind-health.com/img/%x.png", g.rng.Uint32())
	}
	r := g.request(p, "GET", u, "image", "image", traffic.Initiator{Type: "parser", URL: p.URL, Line: g.rng.IntN(900)})
	body := make([]byte, max(16, int(float64(1<<10+g.rng.IntN(20<<10))*g.scale)))
	for i := range body {
		body[i] = byte(g.rng.Uint32())
	}
	copy(body, "RIFF\x00\x00\x00\x00WEBPVP8 ")
	r.Response = ok("image/webp", body)
	return r
}

func (g *generator) xhr(p *traffic.Page) *traffic.Request {
	stack := []traffic.StackFrame{{Function: "loadCart", URL: "https://" + Site + "/static/js/app.js", Line: 0, Column: g.rng.IntN(40000)}}
	if g.rng.IntN(2) == 0 {
		r := g.request(p, "GET", fmt.Sprintf("https://%s/api/cart?ts=%d", Site, g.now.UnixMilli()), "fetch", "empty", traffic.Initiator{Type: "script", Stack: stack})
		var b strings.Builder
		b.WriteString(`{"items":[`)
		for i := range 3 + g.rng.IntN(30) {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"sku":"NW-%d","name":"%s test","qty":%d,"price":%d.99}`, g.rng.IntN(9999), words[g.rng.IntN(len(words))], 1+g.rng.IntN(3), 29+g.rng.IntN(200))
		}
		b.WriteString(`],"currency":"USD"}`)
		r.Response = ok("application/json", []byte(b.String()))
		return r
	}
	r := g.request(p, "POST", "https://"+Site+"/wp-admin/admin-ajax.php", "xhr", "empty", traffic.Initiator{Type: "script", Stack: stack})
	r.BodyMIME = "application/x-www-form-urlencoded; charset=UTF-8"
	r.Body = fmt.Appendf(nil, "action=nw_recently_viewed&product_id=%d&nonce=%x", g.rng.IntN(9999), g.rng.Uint32())
	r.Response = ok("application/json", []byte(`{"success":true}`))
	return r
}
