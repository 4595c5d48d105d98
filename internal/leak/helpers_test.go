package leak

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

func hexSHA(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// alice is the persona most tests plant.
var alice = Persona{
	Name: "Alice", Email: "Alice.Smith@Example.com", Phone: "+1 (415) 555-0134",
	FirstName: "Alice", LastName: "Smith", Street: "1600 Amphitheatre Parkway",
	City: "Menlo Park", State: "California", Zip: "94577-1234", Country: "United States",
	DateOfBirth: "1990-05-17", TrackingNumbers: []string{"9400 1118 9922 3197 4284 90"},
	Custom: map[string]string{"member_id": "MBR-20931177"},
}

var alicePool, _ = NewPool([]Persona{alice})

// channelCase plants a token in one channel of a request.
type channelCase struct {
	name, channel, location string
	build                   func(tok string) *traffic.Request
}

func get(u string, h ...traffic.Header) *traffic.Request {
	return &traffic.Request{URL: u, Method: "GET", Headers: h}
}

func post(ct string, body []byte, h ...traffic.Header) *traffic.Request {
	h = append(h, traffic.Header{Name: "Content-Type", Value: ct})
	return &traffic.Request{URL: "https://collect.example/c", Method: "POST", Headers: h, Body: body, BodyMIME: ct}
}

func compressed(enc string, tok string) *traffic.Request {
	body := []byte(`{"events":[{"name":"login","em":"` + tok + `"}]}`)
	var b bytes.Buffer
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	switch enc {
	case "gzip":
		w = gzip.NewWriter(&b)
	case "deflate":
		w = zlib.NewWriter(&b)
	case "br":
		w = brotli.NewWriter(&b)
	case "zstd":
		w, _ = zstd.NewWriter(&b)
	}
	w.Write(body)
	w.Close()
	return post("application/json", b.Bytes(), traffic.Header{Name: "Content-Encoding", Value: enc})
}

func multipartBody(name, value string) (string, []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("id", "123")
	mw.WriteField(name, value)
	mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

var q = url.QueryEscape

// channelCases covers every channel a value can travel in.
var channelCases = []channelCase{
	{"query", ChannelQuery, "em", func(t string) *traffic.Request { return get("https://t.example/p?id=1&em=" + q(t) + "&z=2") }},
	{"path", ChannelURLPath, "/2", func(t string) *traffic.Request { return get("https://t.example/u/" + url.PathEscape(t) + "/x.gif") }},
	{"matrix", ChannelURLPath, ";u1", func(t string) *traffic.Request {
		return get("https://ad.example/activity;src=1;u1=" + url.PathEscape(t) + ";ord=2?")
	}},
	{"fragment", ChannelFragment, "em", func(t string) *traffic.Request { return get("https://t.example/p#a=1&em=" + q(t)) }},
	{"header", ChannelHeader, "X-User", func(t string) *traffic.Request {
		return get("https://t.example/p", traffic.Header{Name: "X-User", Value: t})
	}},
	{"referer", ChannelHeader, "Referer > em", func(t string) *traffic.Request {
		return get("https://t.example/p", traffic.Header{Name: "Referer", Value: "https://shop.example/acct?em=" + q(t)})
	}},
	{"cookie", ChannelCookie, "uid", func(t string) *traffic.Request {
		return get("https://t.example/p", traffic.Header{Name: "Cookie", Value: "a=1; uid=" + t + "; b=2"})
	}},
	{"form", ChannelBody, "ud[em]", func(t string) *traffic.Request {
		return post("application/x-www-form-urlencoded", []byte("id=1&ud[em]="+q(t)))
	}},
	{"json", ChannelBody, "context.user.email", func(t string) *traffic.Request {
		return post("application/json", []byte(`{"event":"x","context":{"user":{"email":"`+t+`"}}}`))
	}},
	{"multipart", ChannelBody, "udff[em]", func(t string) *traffic.Request {
		ct, b := multipartBody("udff[em]", t)
		return post(ct, b)
	}},
	{"lines", ChannelBody, "ep.em", func(t string) *traffic.Request {
		return post("text/plain", []byte("en=page_view&_et=1\nen=login&ep.em="+q(t)+"\n"))
	}},
	{"ndjson", ChannelBody, "props.em", func(t string) *traffic.Request {
		return post("text/plain", []byte(`{"e":"a"}`+"\n"+`{"e":"b","props":{"em":"`+t+`"}}`))
	}},
	{"params", ChannelBody, "em", func(t string) *traffic.Request {
		return &traffic.Request{URL: "https://t.example/p", Method: "POST", Params: []traffic.Param{{Name: "a", Value: "1"}, {Name: "em", Value: t}}}
	}},
	{"gzip", ChannelBody, "events[].em", func(t string) *traffic.Request { return compressed("gzip", t) }},
	{"deflate", ChannelBody, "events[].em", func(t string) *traffic.Request { return compressed("deflate", t) }},
	{"br", ChannelBody, "events[].em", func(t string) *traffic.Request { return compressed("br", t) }},
	{"zstd", ChannelBody, "events[].em", func(t string) *traffic.Request { return compressed("zstd", t) }},
	{"ws-sent", ChannelWebSocket, "sent > d.em", func(t string) *traffic.Request {
		return &traffic.Request{URL: "wss://rec.example/s", WebSocket: []traffic.WebSocketFrame{
			{Sent: false, Opcode: 1, Data: []byte(`{"hello":1}`)}, {Sent: true, Opcode: 1, Data: []byte(`{"d":{"em":"` + t + `"}}`)}}}
	}},
	{"ws-received", ChannelWebSocket, "received", func(t string) *traffic.Request {
		return &traffic.Request{URL: "wss://rec.example/s", WebSocket: []traffic.WebSocketFrame{{Opcode: 1, Data: []byte(t)}}}
	}},
	{"redirect", ChannelRedirect, "em", func(t string) *traffic.Request {
		r := get("https://t.example/sync")
		r.Response = &traffic.Response{Status: 302, Headers: traffic.Headers{{Name: "Location", Value: "https://next.example/cb?em=" + q(t)}}}
		return r
	}},
	{"set-cookie", ChannelCookie, "Set-Cookie: uid", func(t string) *traffic.Request {
		r := get("https://t.example/sync")
		r.Response = &traffic.Response{Status: 200, Headers: traffic.Headers{{Name: "Set-Cookie", Value: "uid=" + t + "; Path=/; Secure"}}}
		return r
	}},
}

// findMatch returns the match for field in channel/location, if any.
func findMatch(res Result, field, channel, location string) (Match, bool) {
	for _, m := range res.Matches {
		if m.Field == field && m.Channel == channel && m.Location == location {
			return m, true
		}
	}
	return Match{}, false
}

func describe(res Result) string {
	var b strings.Builder
	for _, m := range res.Matches {
		fmt.Fprintf(&b, "\n  %s %s %s %q %v", m.Field, m.Channel, m.Location, m.Evidence, m.Encoding)
	}
	return b.String()
}

func expectMatch(t *testing.T, res Result, field, channel, location string, enc []string) {
	t.Helper()
	m, ok := findMatch(res, field, channel, location)
	if !ok {
		t.Fatalf("no %s match in %s %q; got:%s", field, channel, location, describe(res))
	}
	if !slices.Equal(m.Encoding, enc) {
		t.Fatalf("%s in %s %q: encoding %v, want %v", field, channel, location, m.Encoding, enc)
	}
}

// underNoise runs a timing check up to three times and reports only the
// last failure: on a shared machine a burst of load can land on one
// measurement, while a real regression fails every attempt.
func underNoise(t *testing.T, check func() (ok bool, why string)) {
	t.Helper()
	why := ""
	for attempt := 0; attempt < 3; attempt++ {
		var ok bool
		if ok, why = check(); ok {
			return
		}
		t.Logf("timing attempt %d: %s", attempt+1, why)
	}
	t.Error(why)
}
