package hargen

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// DenseOptions shape a tracker-dense HAR: ad-tech traffic where every
// request is third party and carries many random identifiers.
type DenseOptions struct {
	// Requests is the number of entries to write. When 0, TargetBytes
	// decides (the file ends at the first entry past it).
	Requests int
	// TargetBytes is the approximate file size when Requests is 0.
	TargetBytes int64
	// Seed makes the output reproducible.
	Seed int64
	// PlantOneIn is the share of third-party requests that carry a persona
	// value: one in PlantOneIn. 0 means 100 (1%); a recall test raises the
	// share to cover every key, encoding and place.
	PlantOneIn int
}

// Plant is one persona value a tracker-dense file carries: the truth list a
// comparison of detectors needs.
type Plant struct {
	// Request is the entry index (traffic.Request.Index once read).
	Request int
	// Key is the persona key, as persona files name it: "email", "phone",
	// "first_name", "last_name", "tracking_numbers".
	Key string
	// Where names the channel and field: "query:uid", "cookie:_em",
	// "body:json:user.em", "body:form:em".
	Where string
	// Encoding names the transforms from the wire inwards, e.g.
	// "base64(sha256)".
	Encoding string
}

// DenseSite is the first party of a tracker-dense file.
const DenseSite = "www.dailyharbor-news.com"

// DensePersona returns the persona values TrackerDense plants, by persona
// key. They are long and distinctive so that random identifiers never hold
// them by chance.
func DensePersona() map[string]string {
	return map[string]string{
		"email":            "Wilhelmina.Featherstone@example.org",
		"phone":            "+1 (217) 555-0148",
		"first_name":       "Wilhelmina",
		"last_name":        "Featherstonehaugh",
		"tracking_numbers": "9400111899561482037727",
	}
}

// densePages is the number of article pages the visit spreads over.
const densePages = 24

// TrackerDense writes a tracker-dense HAR to w, streaming, and returns where
// it planted persona values. Every entry but one document per page goes to
// an ad-tech host: GETs with 15–40 random-ID parameters (numbers, hex,
// base64, word_xxxx tokens, encoded page URLs) and a 0.5–3 KB Cookie header
// of 8–40 random cookies; a quarter are POSTs with 1–12 KB JSON or form
// bodies; 1% carry a persona value (DensePersona) in one of the encodings
// of plantEncodings.
func TrackerDense(w io.Writer, opts DenseOptions) ([]Plant, error) {
	if opts.Requests <= 0 && opts.TargetBytes <= 0 {
		return nil, fmt.Errorf("hargen: tracker-dense needs Requests or TargetBytes")
	}
	d := newDense(opts.Seed)
	d.plantOneIn = cmp.Or(max(opts.PlantOneIn, 0), 100)
	hw := har.NewWriter(w, har.WriteOptions{CreatorName: "leakwatch-hargen", CreatorVersion: "1"})
	if err := hw.PagesFirst(d.pages); err != nil {
		return nil, err
	}
	var plants []Plant
	for i := 0; ; i++ {
		if opts.Requests > 0 && i >= opts.Requests || opts.Requests <= 0 && hw.Size() >= opts.TargetBytes {
			break
		}
		r, p := d.request(i)
		if p != nil {
			plants = append(plants, *p)
		}
		if err := hw.Request(r); err != nil {
			return nil, fmt.Errorf("hargen: %w", err)
		}
	}
	if err := hw.End(&traffic.Capture{Browser: "Chrome 126.0.6478.126"}); err != nil {
		return nil, fmt.Errorf("hargen: %w", err)
	}
	return plants, nil
}

// dense holds the state of one tracker-dense file.
type dense struct {
	rng     *rand.Rand
	now     time.Time
	pages   []*traffic.Page
	persona map[string]string
	// plantOneIn: one request in plantOneIn carries a persona value.
	plantOneIn int
}

func newDense(seed int64) *dense {
	d := &dense{
		rng:     rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x51a3c2b1d0e9f877)),
		now:     time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC),
		persona: DensePersona(),
	}
	for i := range densePages {
		d.pages = append(d.pages, &traffic.Page{
			ID:    fmt.Sprintf("page_%d", i+1),
			URL:   fmt.Sprintf("https://%s/%d/06/%s-%s-%d/", DenseSite, 2024, words[i%len(words)], words[(i*5+3)%len(words)], 1000+i),
			Title: fmt.Sprintf("Harbor news %d", i+1), Started: d.now.Add(time.Duration(i) * time.Minute),
		})
	}
	return d
}

// perPage is the number of entries of one page visit (its document first).
const perPage = 400

// request returns entry i and, when it carries a persona value, its plant.
func (d *dense) request(i int) (*traffic.Request, *Plant) {
	p := d.pages[(i/perPage)%len(d.pages)]
	d.now = d.now.Add(time.Duration(1+d.rng.IntN(30)) * time.Millisecond)
	if i%perPage == 0 {
		r := d.base(i, p, "GET", p.URL, "document")
		r.Response = ok("text/html", []byte("<!DOCTYPE html><title>"+p.Title+"</title>"))
		return r, nil
	}
	host := adHosts[d.rng.IntN(len(adHosts))]
	sub := host.sub
	if strings.Contains(sub, "%d") {
		sub = fmt.Sprintf(sub, d.rng.IntN(9)+1)
	}
	path := adPaths[d.rng.IntN(len(adPaths))]
	var plant *Plant
	if d.rng.IntN(d.plantOneIn) == 0 {
		plant = &Plant{Request: i}
	}
	var r *traffic.Request
	if d.rng.IntN(4) == 0 {
		r = d.post(i, p, "https://"+sub+path, plant)
	} else {
		r = d.get(i, p, "https://"+sub+path, plant)
	}
	d.cookies(r, plant)
	r.Response = &traffic.Response{Status: 200, HTTPVersion: "http/2.0", MIME: "image/gif", BodySize: 43,
		Headers: traffic.Headers{{Name: "content-type", Value: "image/gif"}}}
	return r, plant
}

func (d *dense) base(i int, p *traffic.Page, method, u, typ string) *traffic.Request {
	h := append(traffic.Headers{{Name: "accept-language", Value: "en-US,en;q=0.9"}}, chromeHeaders...)
	h = append(h, traffic.Header{Name: "referer", Value: p.URL})
	return &traffic.Request{Index: i, PageID: p.ID, URL: u, Method: method, HTTPVersion: "http/2.0",
		Headers: h, ResourceType: typ, Started: d.now, Initiator: traffic.Initiator{Type: "script",
			Stack: []traffic.StackFrame{{Function: "fire", URL: "https://securepubads.g.doubleclick.net/tag/js/gpt.js", Column: 4410}}}}
}

// get builds an image GET with 15–40 random-ID parameters.
func (d *dense) get(i int, p *traffic.Page, u string, plant *Plant) *traffic.Request {
	n := 15 + d.rng.IntN(26)
	var q strings.Builder
	at := -1
	if plant != nil && d.rng.IntN(4) != 0 { // most plants in the query
		at = d.rng.IntN(n)
	}
	for k := range n {
		if k > 0 {
			q.WriteByte('&')
		}
		if k == at {
			name := plantParams[d.rng.IntN(len(plantParams))]
			v := d.plantValue(plant, "query:"+name)
			q.WriteString(name + "=" + url.QueryEscape(v))
			continue
		}
		name, v := d.param(p, k)
		q.WriteString(name + "=" + url.QueryEscape(v))
	}
	return d.base(i, p, "GET", u+"?"+q.String(), "image")
}

// param returns a random-ID parameter: a number, hex, base64, a word_xxxx
// token or the encoded page URL.
func (d *dense) param(p *traffic.Page, k int) (string, string) {
	name := paramNames[d.rng.IntN(len(paramNames))] + fmt.Sprint(k)
	if slices.Contains(plantParams, name) { // "uid"+"2": keep the truth list unambiguous
		name = strings.Replace(name, fmt.Sprint(k), "_"+fmt.Sprint(k), 1)
	}
	switch d.rng.IntN(6) {
	case 0:
		return name, fmt.Sprint(d.rng.Int64N(1e13))
	case 1:
		return name, fmt.Sprintf("%016x%08x", d.rng.Uint64(), d.rng.Uint32())[:8+d.rng.IntN(17)]
	case 2:
		b := make([]byte, 12+d.rng.IntN(36))
		for j := range b {
			b[j] = byte(d.rng.Uint32())
		}
		if d.rng.IntN(2) == 0 {
			return name, base64.StdEncoding.EncodeToString(b)
		}
		return name, base64.RawURLEncoding.EncodeToString(b)
	case 3:
		return name, words[d.rng.IntN(len(words))] + "_" + randToken(d.rng, 4)
	case 4:
		return name, p.URL + "?utm_source=" + words[d.rng.IntN(len(words))] + "&ref=" + randToken(d.rng, 6)
	}
	return name, fmt.Sprint(d.rng.IntN(100000))
}

// post builds a 1–12 KB JSON or form POST.
func (d *dense) post(i int, p *traffic.Page, u string, plant *Plant) *traffic.Request {
	r := d.base(i, p, "POST", u+"?v="+fmt.Sprint(d.rng.IntN(9)+1), "xhr")
	size := 1<<10 + d.rng.IntN(11<<10)
	inBody := plant != nil && d.rng.IntN(4) != 0
	if d.rng.IntN(2) == 0 {
		r.BodyMIME = "application/json"
		r.Body = d.jsonBody(p, size, plant, inBody)
	} else {
		r.BodyMIME = "application/x-www-form-urlencoded"
		r.Body = d.formBody(p, size, plant, inBody)
	}
	r.Headers = append(r.Headers, traffic.Header{Name: "content-type", Value: r.BodyMIME})
	return r
}

func (d *dense) jsonBody(p *traffic.Page, size int, plant *Plant, inBody bool) []byte {
	var b strings.Builder
	b.WriteString(`{"events":[`)
	k := 0
	for b.Len() < size {
		if k > 0 {
			b.WriteByte(',')
		}
		name, v := d.param(p, k)
		fmt.Fprintf(&b, `{"id":%q,"%s":%q,"ts":%d}`, randToken(d.rng, 16), name, v, d.now.UnixMilli()+int64(k))
		k++
	}
	b.WriteString(`]`)
	if inBody {
		field := plantParams[d.rng.IntN(len(plantParams))]
		v := d.plantValue(plant, "body:json:user."+field)
		fmt.Fprintf(&b, `,"user":{%q:%q}`, field, v)
	}
	b.WriteString(`}`)
	return []byte(b.String())
}

func (d *dense) formBody(p *traffic.Page, size int, plant *Plant, inBody bool) []byte {
	var b strings.Builder
	for k := 0; b.Len() < size; k++ {
		if k > 0 {
			b.WriteByte('&')
		}
		name, v := d.param(p, k)
		b.WriteString(name + "=" + url.QueryEscape(v))
	}
	if inBody {
		field := plantParams[d.rng.IntN(len(plantParams))]
		v := d.plantValue(plant, "body:form:"+field)
		b.WriteString("&" + field + "=" + url.QueryEscape(v))
	}
	return []byte(b.String())
}

// cookies adds 8–40 random cookies of 0.5–3 KB in all, as a Cookie header
// (not repeated in the HAR's cookie list, which would double the file); a
// plant not yet placed goes in one of them.
func (d *dense) cookies(r *traffic.Request, plant *Plant) {
	n := 8 + d.rng.IntN(33)
	total := 512 + d.rng.IntN(2560)
	var parts []string
	for k := range n {
		c := traffic.Cookie{Name: cookieNames[d.rng.IntN(len(cookieNames))] + fmt.Sprint(k)}
		c.Value = randToken(d.rng, max(4, total/n-len(c.Name)-2))
		if k == n/2 && plant != nil && plant.Key == "" {
			c.Name = "_em"
			c.Value = url.QueryEscape(d.plantValue(plant, "cookie:_em"))
		}
		parts = append(parts, c.Name+"="+c.Value)
	}
	r.Headers = append(r.Headers, traffic.Header{Name: "cookie", Value: strings.Join(parts, "; ")})
}

// plantValue picks a persona key and an encoding, records them in plant,
// and returns the encoded value.
func (d *dense) plantValue(plant *Plant, where string) string {
	keys := []string{"email", "email", "email", "phone", "phone", "first_name", "last_name", "tracking_numbers"}
	plant.Key = keys[d.rng.IntN(len(keys))]
	e := plantEncodings[d.rng.IntN(len(plantEncodings))]
	plant.Where, plant.Encoding = where, e.name
	return e.encode(plant.Key, d.persona[plant.Key])
}
