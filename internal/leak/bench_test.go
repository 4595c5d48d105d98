package leak

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// benchPersonas returns alice and n-1 other people.
func benchPersonas(n int) []Persona {
	out := []Persona{alice}
	for i := 1; i < n; i++ {
		out = append(out, Persona{
			Name: fmt.Sprintf("p%d", i), Email: fmt.Sprintf("user%d.name@mail%d.example", i, i),
			Phone: fmt.Sprintf("+1 212 555 %04d", 1000+i), FirstName: fmt.Sprintf("First%d", i),
			LastName: fmt.Sprintf("Last%d", i), Street: fmt.Sprintf("%d Elm Street", 100+i),
			City: []string{"Boston", "Austin", "Denver", "Seattle", "Portland"}[i%5], State: []string{"MA", "TX", "CO", "WA", "OR"}[i%5],
			Zip: fmt.Sprintf("%05d", 10000+i*731), Country: "US", DateOfBirth: fmt.Sprintf("198%d-0%d-1%d", i%10, 1+i%9, i%10),
			TrackingNumbers: []string{fmt.Sprintf("94001118992231974%05d", i)},
			Custom:          map[string]string{"member_id": fmt.Sprintf("MBR-%08d", 30000000+i)},
		})
	}
	return out
}

func domText(n int) string {
	var b strings.Builder
	words := []string{"Track", "your", "package", "delivery", "status", "Menlo", "Park", "order", "history", "account", "settings", "help"}
	for b.Len() < n {
		fmt.Fprintf(&b, `{"id":%d,"type":3,"textContent":"%s %s %d","attributes":{"class":"c-%d","href":"/p/%d"}},`,
			b.Len(), words[b.Len()%len(words)], words[(b.Len()/7)%len(words)], b.Len()*7919, b.Len()%97, b.Len())
	}
	return `{"type":2,"data":{"node":{"childNodes":[` + strings.TrimSuffix(b.String(), ",") + `]}}}`
}

// benchRequests is a realistic visit: pixel hits with hashed data, batched
// analytics, compressed session replay, big first-party script loads.
func benchRequests() []*traffic.Request {
	page := "https://shop.example/account/orders?tLabels=9400111899223197428490&ref=nav"
	hdr := traffic.Headers{
		{Name: "User-Agent", Value: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"},
		{Name: "Accept", Value: "*/*"}, {Name: "Accept-Language", Value: "en-US,en;q=0.9"},
		{Name: "Referer", Value: page},
		{Name: "Cookie", Value: "_fbp=fb.1.1700000000000.123456789; _ga=GA1.1.1234567.1700000000; session=" + strings.Repeat("ab12", 16)},
	}
	var reqs []*traffic.Request
	add := func(r *traffic.Request) {
		r.Headers = append(r.Headers, hdr...)
		r.Index = len(reqs)
		reqs = append(reqs, r)
	}
	meta := "https://www.facebook.com/tr/?id=123456789012345&ev=PageView&dl=" + q(page) + "&rl=&if=false&ts=1700000000000&sw=1920&sh=1080&v=2.9.140&r=stable&ec=0&o=4126&fbp=fb.1.1700000000000.123456789&it=1700000000000&coo=false&ud[em]=" + hexSHA("alice.smith@example.com") + "&ud[ct]=" + hexSHA("menlopark") + "&ud[zp]=" + hexSHA("94577") + "&cd[contents]=" + q(`[{"id":"SKU-1","quantity":1}]`) + "&rqm=GET"
	add(get(meta))
	ct, mp := multipartBody("udff[em]", hexSHA("alice.smith@example.com"))
	add(post(ct, mp))
	var ga strings.Builder
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&ga, "en=scroll&_et=%d&ep.percent_scrolled=90&epn.value=%d&ep.page_type=account\n", 1000+i, i)
	}
	add(post("text/plain", []byte(ga.String())))
	add(get("https://region1.google-analytics.com/g/collect?v=2&tid=G-ABC123&gtm=45je&cid=1234567.1700000000&ul=en-us&sr=1920x1080&dl=" + q(page) + "&dt=" + q("Your orders | Shop") + "&en=page_view&_s=1&sid=1700000000&sct=3&seg=1&em=tv.1~em." + b64url(sum("alice.smith@example.com"))))
	li := `{"pids":[12345],"scriptVersion":170,"time":1700000000000,"domain":"shop.example","url":"` + page + `","pageTitle":"Your orders","websiteSignalRequestId":"6f1c2a8e-1b2c-4d5e-8f90-123456789abc","signalType":"CLICK","domAttributes":{"tagName":"A","innerText":"1600 Amphitheatre Parkway, Menlo Park, CA 94577","elementCrumbsTree":"` + strings.Repeat("div>", 40) + `"}}`
	add(post("application/json", []byte(gzipB64(li))))
	add(post("application/json", []byte(`{"event":"Pageview","timestamp":"2024-01-01T00:00:00Z","context":{"pixel":{"code":"C1234"},"page":{"url":"`+page+`","referrer":""},"user":{"sha256_email":"`+hexSHA("alice.smith@example.com")+`"},"ad":{"sdk_env":"external"}},"properties":{},"event_id":"abc-123"}`)))
	add(post("application/x-www-form-urlencoded", []byte("pid=abc-123&ev=PAGE_VIEW&pl="+q(page)+"&ts=1700000000000&v=1.0&u_hem="+hexSHA("alice.smith@example.com")+"&u_c1=abcdef0123456789")))
	add(compressed("gzip", strings.Repeat("x", 10)))
	replay := domText(200 << 10)
	add(post("application/json", []byte(`[{"type":3,"data":`+replay+`,"timestamp":1700000000000}]`)))
	add(post("text/plain", []byte(base64.StdEncoding.EncodeToString([]byte(domText(40<<10))))))
	js := strings.Repeat("function a(b){return b.map(function(c){return c*2})}var d='abcdefghijklmnop';", 8000)
	for i := 0; i < 4; i++ {
		r := get(fmt.Sprintf("https://shop.example/static/app.%d.js?v=%x", i, i*77777))
		r.Response = &traffic.Response{Status: 200, MIME: "application/javascript", Body: []byte(js),
			Headers: traffic.Headers{{Name: "Content-Type", Value: "application/javascript"}, {Name: "Cache-Control", Value: "max-age=31536000"}}}
		add(r)
	}
	for i := 0; i < 30; i++ {
		add(get(fmt.Sprintf("https://ads.example/px/%d?cb=%d&u=%s&gdpr=0&us_privacy=1---&pid=%x", i, 1700000000000+i, q(page), i*104729)))
	}
	ws := &traffic.Request{URL: "wss://ws.hotjar.example/api/v2/client/ws"}
	for i := 0; i < 50; i++ {
		ws.WebSocket = append(ws.WebSocket, traffic.WebSocketFrame{Sent: i%2 == 0, Opcode: 1, Data: []byte(fmt.Sprintf(`{"action":"mutation","data":{"t":%d,"v":"Order #%d shipped to Menlo Park"}}`, i, 1000+i))})
	}
	add(ws)
	return reqs
}

// requestBytes is the data Scan reads in a request.
func requestBytes(r *traffic.Request) int64 {
	n := len(r.URL) + len(r.Body)
	for _, h := range r.Headers {
		n += len(h.Name) + len(h.Value)
	}
	for _, f := range r.WebSocket {
		n += len(f.Data)
	}
	for _, p := range r.Params {
		n += len(p.Name) + len(p.Value)
	}
	if r.Response != nil {
		for _, h := range r.Response.Headers {
			n += len(h.Name) + len(h.Value)
		}
	}
	return int64(n)
}

func benchScan(b *testing.B, personas int, opts ScanOptions) {
	pool, _ := NewPool(benchPersonas(personas))
	reqs := benchRequests()
	var total int64
	for _, r := range reqs {
		total += requestBytes(r)
	}
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, r := range reqs {
			pool.Scan(r, opts)
		}
	}
	b.ReportMetric(float64(pool.Size()), "candidates")
}

// BenchmarkNewPool builds the pool of 10 personas (done once per run).
func BenchmarkNewPool(b *testing.B) {
	ps := benchPersonas(10)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		NewPool(ps)
	}
}

func BenchmarkScan1Persona(b *testing.B)           { benchScan(b, 1, ScanOptions{}) }
func BenchmarkScan10Personas(b *testing.B)         { benchScan(b, 10, ScanOptions{}) }
func BenchmarkScan10PersonasPatterns(b *testing.B) { benchScan(b, 10, ScanOptions{Patterns: true}) }

// harEntry mirrors the parts of a HAR entry a reader must decode, to
// compare Scan with the cost of reading the same requests from a HAR.
type harEntry struct {
	Request struct {
		Method   string `json:"method"`
		URL      string `json:"url"`
		Headers  []struct{ Name, Value string }
		PostData *struct {
			MimeType string `json:"mimeType"`
			Text     string `json:"text"`
		} `json:"postData,omitempty"`
	} `json:"request"`
	Response struct {
		Status  int `json:"status"`
		Headers []struct{ Name, Value string }
		Content struct {
			Text string `json:"text"`
		} `json:"content"`
	} `json:"response"`
	WebSocket []struct {
		Type string `json:"type"`
		Data string `json:"data"`
	} `json:"_webSocketMessages,omitempty"`
}

// BenchmarkHARParse decodes the same requests from HAR JSON, response
// bodies included as a HAR file holds them: the baseline for Scan.
func BenchmarkHARParse(b *testing.B) { benchHAR(b, true) }

// BenchmarkHARParseNoResponseBodies leaves out response bodies (which
// Scan does not read): the strictest baseline.
func BenchmarkHARParseNoResponseBodies(b *testing.B) { benchHAR(b, false) }

func benchHAR(b *testing.B, responses bool) {
	data, total := harJSON(responses)
	b.SetBytes(total)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		parseHAR(b, data)
	}
}

func parseHAR(b *testing.B, data []byte) {
	var h struct {
		Log struct{ Entries []harEntry } `json:"log"`
	}
	if err := json.Unmarshal(data, &h); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkScanCostRatio interleaves the three workloads and keeps the
// best time of each, which a busy machine disturbs least. It reports the
// 10-persona/1-persona ratio and Scan time over HAR parse time.
func BenchmarkScanCostRatio(b *testing.B) {
	p1, _ := NewPool(benchPersonas(1))
	p10, _ := NewPool(benchPersonas(10))
	reqs := benchRequests()
	full, _ := harJSON(true)
	reqOnly, _ := harJSON(false)
	best := [4]time.Duration{time.Hour, time.Hour, time.Hour, time.Hour}
	runs := []func(){
		func() { scanAll(p1, reqs) }, func() { scanAll(p10, reqs) },
		func() { parseHAR(b, full) }, func() { parseHAR(b, reqOnly) },
	}
	for i := 0; i < b.N; i++ {
		for k, f := range runs {
			start := time.Now()
			f()
			best[k] = min(best[k], time.Since(start))
		}
	}
	b.ReportMetric(float64(best[0].Microseconds()), "µs-1persona")
	b.ReportMetric(float64(best[1])/float64(best[0]), "10/1-ratio")
	b.ReportMetric(float64(best[0])/float64(best[2]), "scan/har-ratio")
	b.ReportMetric(float64(best[0])/float64(best[3]), "scan/har-requests-only-ratio")
}

func scanAll(p *Pool, reqs []*traffic.Request) {
	for _, r := range reqs {
		p.Scan(r, ScanOptions{})
	}
}

// harJSON encodes the benchmark requests as HAR, with or without the
// response bodies, and returns the request bytes Scan reads.
func harJSON(responses bool) ([]byte, int64) {
	var entries []harEntry
	var total int64
	for _, r := range benchRequests() {
		var e harEntry
		e.Request.Method, e.Request.URL = r.Method, r.URL
		for _, h := range r.Headers {
			e.Request.Headers = append(e.Request.Headers, struct{ Name, Value string }{h.Name, h.Value})
		}
		if len(r.Body) > 0 {
			e.Request.PostData = &struct {
				MimeType string `json:"mimeType"`
				Text     string `json:"text"`
			}{r.BodyMIME, string(r.Body)}
		}
		for _, f := range r.WebSocket {
			e.WebSocket = append(e.WebSocket, struct {
				Type string `json:"type"`
				Data string `json:"data"`
			}{"send", string(f.Data)})
		}
		if r.Response != nil && responses {
			e.Response.Status = r.Response.Status
			e.Response.Content.Text = string(r.Response.Body)
		}
		entries = append(entries, e)
		total += requestBytes(r)
	}
	data, _ := json.Marshal(map[string]any{"log": map[string]any{"entries": entries}})
	return data, total
}

// BenchmarkScanRandomIDs scans what tracker-dense traffic is made of:
// requests whose Cookie header holds 30 random 64-character IDs (they
// read as base64, so every one is decoded and tried as compressed data)
// and whose query holds 30 more. Every value is new: no cache helps.
func BenchmarkScanRandomIDs(b *testing.B) {
	pool, _ := NewPool(benchPersonas(1))
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	seed := uint32(1)
	token := func(n int) string {
		t := make([]byte, n)
		for i := range t {
			seed = seed*1664525 + 1013904223
			t[i] = alphabet[(seed>>8)%uint32(len(alphabet))]
		}
		return string(t)
	}
	reqs := make([]*traffic.Request, 256)
	var total int64
	for i := range reqs {
		var ck, qs []string
		for k := range 30 {
			ck = append(ck, fmt.Sprintf("c%d=%s", k, token(64)))
			qs = append(qs, fmt.Sprintf("p%d=%s", k, token(24)))
		}
		reqs[i] = get("https://ads.example/px?" + strings.Join(qs, "&"))
		reqs[i].Headers = traffic.Headers{{Name: "Cookie", Value: strings.Join(ck, "; ")}}
		total += requestBytes(reqs[i])
	}
	opts := ScanOptions{Patterns: true}
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, r := range reqs {
			pool.Scan(r, opts)
		}
	}
}
