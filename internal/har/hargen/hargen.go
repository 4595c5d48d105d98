// Package hargen writes large, realistic, deterministic HAR files for tests
// and benchmarks: a shop visited page by page, with documents, big scripts,
// images, first-party JSON, and the tracker hits of Meta, Google Analytics 4,
// LinkedIn, TikTok, Bing, Pinterest and Klaviyo, optionally carrying planted
// personal values encoded the way each vendor sends them (Generate); dense
// ad-tech traffic with a truth list of planted persona values
// (TrackerDense); and adversarial files built to blow an analyser up in
// time or memory (Shapes, Adversarial). Every one streams: memory stays
// small whatever the size.
package hargen

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"time"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Options say what to generate.
type Options struct {
	// TargetBytes is the approximate size of the HAR (within a few percent
	// from 1 MB up). Every one of the seven page kinds is loaded at least
	// once with its tracker hits, so no file is smaller than about 130 KB.
	TargetBytes int64
	// Seed makes the output reproducible: the same options give the same
	// bytes.
	Seed int64
	// Values are personal values to plant in the tracker hits of the order
	// confirmation and tracking pages, by kind, each the way its vendor
	// sends it:
	//   - "email": Meta ud[em] = sha256(trimmed, lowercased), also in the
	//     multipart beacon; GA4 plaintext in dl (the page URL) and
	//     ep.customer_email; LinkedIn /wa/ pageTitle inside base64(gzip(JSON));
	//     TikTok context.user.sha256_email; Pinterest pd {"em": sha256};
	//     Klaviyo $email plaintext in a multipart beacon;
	//   - "zip": Meta ud[zp] = sha256(cut at "-"); TikTok zip_code hashed;
	//     plaintext in the confirmation page URL (GA4 dl, Bing p, Meta dl);
	//   - "tracking_number": plaintext in the tracking page URL and title
	//     (GA4 dl and ep.tracking_number, Bing p, LinkedIn pageTitle);
	//   - "phone": Meta ud[ph] = sha256(digits), TikTok sha256_phone_number
	//     = sha256("+" digits), Klaviyo $phone_number plaintext;
	//   - "name" ("First Last"): Meta ud[fn], ud[ln] hashed, Klaviyo
	//     $first_name, $last_name plaintext.
	Values map[string]string
}

// Site is the first party of every generated HAR.
const Site = "www.northwind-health.com"

// bytesPerPage is the share of the target one page visit gets.
const bytesPerPage = 3 << 20

// Generate writes a HAR of about opts.TargetBytes to w, streaming: memory
// stays small whatever the size.
func Generate(w io.Writer, opts Options) error {
	g := newGenerator(opts)
	hw := har.NewWriter(w, har.WriteOptions{CreatorName: "leakwatch-hargen", CreatorVersion: "1"})
	// Every kind of page appears at least once; bodies shrink to fit small
	// targets.
	nPages := max(len(pageKinds), int(opts.TargetBytes/bytesPerPage))
	g.scale = min(1, float64(opts.TargetBytes)/float64(nPages)/bytesPerPage)
	pages := make([]*traffic.Page, nPages)
	for i := range pages {
		pages[i] = g.page(i)
	}
	if err := hw.PagesFirst(pages); err != nil {
		return err
	}
	index := 0
	for i, p := range pages {
		if p.Started.After(g.now) {
			g.now = p.Started
		}
		// Page i ends once the file reaches its share of the target; the
		// first load always includes the document and the tracker hits.
		budget := opts.TargetBytes * int64(i+1) / int64(nPages)
		keep := 1 + len(trackerHits)
		for hw.Size() < budget || keep > 0 {
			for _, r := range g.visit(p, i) {
				if keep <= 0 && hw.Size() >= budget {
					break
				}
				keep--
				r.Index = index
				index++
				if err := hw.Request(r); err != nil {
					return fmt.Errorf("hargen: %w", err)
				}
			}
		}
	}
	return hw.End(&traffic.Capture{Browser: "Chrome 126.0.6478.126"})
}

// generator holds the random source and the running clock.
type generator struct {
	rng    *rand.Rand
	opts   Options
	now    time.Time
	scale  float64 // body sizes are multiplied by it
	pool   []byte  // JavaScript-like text that script bodies are cut from
	html   []byte
	fbp    string
	gaCID  string
	ttpID  string
	uetVID string
}

func newGenerator(opts Options) *generator {
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), uint64(opts.Seed)^0x9e3779b97f4a7c15))
	g := &generator{
		rng:  rng,
		opts: opts,
		now:  time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(86400)) * time.Second),
	}
	g.pool = scriptPool(rng, 1<<20)
	g.html = htmlPool(rng, 256<<10)
	g.fbp = fmt.Sprintf("fb.1.%d.%d", g.now.UnixMilli()-86400000, rng.Int64N(1e10))
	g.gaCID = fmt.Sprintf("%d.%d", rng.Int64N(1e10), g.now.Unix()-86400)
	g.ttpID = randToken(rng, 27)
	g.uetVID = fmt.Sprintf("%x", rng.Uint64())
	return g
}

// tick advances the clock by up to ms milliseconds and returns it.
func (g *generator) tick(ms int) time.Time {
	g.now = g.now.Add(time.Duration(1+g.rng.IntN(ms)) * time.Millisecond)
	return g.now
}

// pageKind is one kind of page the visitor sees, in the order of a visit.
type pageKind struct {
	path, title string
	// plants says the page carries the planted values.
	plants bool
}

var pageKinds = []pageKind{
	{path: "/", title: "Northwind Health - At-home lab tests"},
	{path: "/tests/", title: "All at-home tests"},
	{path: "/product/hba1c-test/", title: "HbA1c Diabetes Test"},
	{path: "/cart/", title: "Your cart"},
	{path: "/checkout/order-received/?email={email}&zip={zip}", title: "Thank you {email}, your order is confirmed", plants: true},
	{path: "/track/?number={tracking_number}", title: "Track order {tracking_number}", plants: true},
	{path: "/account/", title: "My account"},
}

func (g *generator) page(i int) *traffic.Page {
	k := pageKinds[i%len(pageKinds)]
	u := "https://" + Site + g.fill(k.path, true)
	return &traffic.Page{
		ID: fmt.Sprintf("page_%d", i+1), URL: u, Title: g.fill(k.title, false),
		Started: g.now.Add(time.Duration(i) * 20 * time.Second),
	}
}

// fill replaces {kind} with the planted value (query-escaped for URLs), or
// with a neutral stand-in when the value is not given.
func (g *generator) fill(s string, inURL bool) string {
	for _, kind := range []string{"email", "zip", "tracking_number"} {
		v, ok := g.opts.Values[kind]
		if !ok {
			v = map[string]string{"email": "guest", "zip": "00000", "tracking_number": "pending"}[kind]
		}
		if inURL {
			v = url.QueryEscape(v)
		}
		s = replaceAll(s, "{"+kind+"}", v)
	}
	return s
}

// visit returns the requests of one load of page p.
func (g *generator) visit(p *traffic.Page, i int) []*traffic.Request {
	k := pageKinds[i%len(pageKinds)]
	plant := k.plants && len(g.opts.Values) > 0
	var out []*traffic.Request
	out = append(out, g.document(p))
	for _, hit := range trackerHits {
		out = append(out, hit(g, p, plant))
	}
	for range 4 + g.rng.IntN(8) {
		out = append(out, g.script(p))
	}
	out = append(out, g.stylesheet(p))
	for range 6 + g.rng.IntN(14) {
		out = append(out, g.image(p))
	}
	for range 1 + g.rng.IntN(4) {
		out = append(out, g.xhr(p))
	}
	return out
}
