package crawl

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// maxGPCFile caps what is read of a /.well-known/gpc.json.
const maxGPCFile = 64 << 10

// optOutOf returns the opt-out signals b sends, or nil for none.
func optOutOf(b *browser.Browser) *traffic.OptOut {
	gpc, dnt := b.OptOut()
	if !gpc && !dnt {
		return nil
	}
	return &traffic.OptOut{GPC: gpc, DNT: dnt}
}

// pageSignals runs once a page has settled: the consent banners, and with
// GPC the site's /.well-known/gpc.json.
func (c *crawler) pageSignals(ctx context.Context, tab *browser.Tab) {
	c.gpcFile(ctx, tab)
	c.consent(ctx, tab)
}

// gpcFile fetches /.well-known/gpc.json of the page's origin once per
// origin, from inside the page so the request is in the capture with the
// headers the browser sends, and records what it says.
func (c *crawler) gpcFile(ctx context.Context, tab *browser.Tab) {
	if c.optOut == nil || !c.optOut.GPC {
		return
	}
	u, err := url.Parse(tab.URL())
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return
	}
	origin := u.Scheme + "://" + u.Host
	c.mu.Lock()
	done := c.gpcSeen[origin]
	c.gpcSeen[origin] = true
	c.mu.Unlock()
	if done {
		return
	}
	g := fetchGPC(ctx, tab, origin)
	c.mu.Lock()
	c.optOut.WellKnown = append(c.optOut.WellKnown, g)
	c.mu.Unlock()
}

func fetchGPC(ctx context.Context, tab *browser.Tab, origin string) traffic.GPCSupport {
	g := traffic.GPCSupport{Origin: origin}
	js := fmt.Sprintf(`fetch(%q, {credentials: "omit", cache: "no-store", redirect: "follow"}).then(async (r) => ({status: r.status, text: (await r.text()).slice(0, %d)}))`,
		origin+"/.well-known/gpc.json", maxGPCFile)
	raw, err := tab.Eval(ctx, js)
	if err != nil {
		g.Error = err.Error()
		return g
	}
	var res struct {
		Status int    `json:"status"`
		Text   string `json:"text"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		g.Error = err.Error()
		return g
	}
	g.Status = res.Status
	if res.Status != 200 {
		return g
	}
	var file struct {
		GPC        *bool  `json:"gpc"`
		LastUpdate string `json:"lastUpdate"`
	}
	if err := json.Unmarshal([]byte(res.Text), &file); err != nil {
		g.Error = "not a GPC support resource: " + err.Error()
		return g
	}
	g.GPC, g.LastUpdate = file.GPC, file.LastUpdate
	return g
}

// applyOptOut puts the signals sent on the capture, origins sorted.
func (c *crawler) applyOptOut(capture *traffic.Capture) {
	if c.optOut == nil {
		return
	}
	o := *c.optOut
	o.WellKnown = append([]traffic.GPCSupport(nil), o.WellKnown...)
	sort.Slice(o.WellKnown, func(i, j int) bool { return o.WellKnown[i].Origin < o.WellKnown[j].Origin })
	capture.OptOut = &o
}
