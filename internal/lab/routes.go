package lab

import (
	"strings"
)

// reply is how a collector answers, as the real one does.
type reply int

const (
	replyGIF       reply = iota // 200, a 1×1 transparent GIF
	replyNoContent              // 204
	replyJSON                   // 200, a small JSON object
	replyText                   // 200, empty text/plain
)

// cookieSpec is a third-party cookie a collector sets when the browser does
// not already send it.
type cookieSpec struct {
	Name   string
	Domain string
	MaxAge int
	// HTTPOnly as the vendor sets it.
	HTTPOnly bool
	// Value makes a fresh value from random bytes.
	Value func(random []byte) string
}

// route is one path a vendor host answers. Path segments "*" match any one
// segment.
type route struct {
	Host string
	Path string
	// Script is the embedded tags/ file served here; empty for a collector.
	Script string
	// Template marks a script rendered per request (the signals config).
	Template bool
	Reply    reply
	// CORS answers credentialed cross-origin reads and preflights.
	CORS   bool
	Cookie *cookieSpec
}

// vendor is one tracking company the lab imitates.
type vendor struct {
	Name   string
	Routes []route
	// Consent is how the vendor's tag treats a reject and GPC.
	Consent tagPolicy
}

func (v vendor) hosts() []string {
	var out []string
	for _, r := range v.Routes {
		out = append(out, r.Host)
	}
	return out
}

// Pixel and tag IDs used on the demo site's pages. They are made up.
const (
	MetaPixelID       = "618033988749894"
	LinkedInPartnerID = "4815162"
	SnapPixelID       = "7f3e9c2a-5b1d-4e8f-a6c0-2d9b8e1f4a73"
	UETTagID          = "187204511"
	GA4MeasurementID  = "G-PP7DEMO42X"
	GoogleAdsID       = "AW-10987654321"
	PinterestTagID    = "2613579246801"
)

// vendors is the table of imitated tags: their script hosts and collectors.
// Adding a vendor is adding an entry, its tags/ file and its test.
var vendors = []vendor{
	{Name: "Meta", Routes: []route{
		{Host: "connect.facebook.net", Path: "/*/fbevents.js", Script: "fbevents.js"},
		{Host: "connect.facebook.net", Path: "/signals/config/*", Script: "signals-config.js", Template: true},
		{Host: "www.facebook.com", Path: "/tr", Reply: replyGIF, Cookie: cookieFr},
		{Host: "www.facebook.com", Path: "/tr/", Reply: replyGIF, Cookie: cookieFr},
	}},
	{Name: "LinkedIn", Routes: []route{
		{Host: "snap.licdn.com", Path: "/li.lms-analytics/insight.min.js", Script: "insight.min.js"},
		{Host: "px.ads.linkedin.com", Path: "/collect", Reply: replyGIF, Cookie: cookieBcookie},
		{Host: "px.ads.linkedin.com", Path: "/collect/", Reply: replyGIF, Cookie: cookieBcookie},
		{Host: "px.ads.linkedin.com", Path: "/wa/", Reply: replyJSON, CORS: true, Cookie: cookieBcookie},
	}},
	// Snap's tag ignores Global Privacy Control.
	{Name: "Snap", Consent: tagPolicy{IgnoresGPC: true}, Routes: []route{
		{Host: "sc-static.net", Path: "/scevent.min.js", Script: "scevent.min.js"},
		{Host: "tr.snapchat.com", Path: "/p", Reply: replyText, CORS: true, Cookie: cookieScAt},
		{Host: "tr.snapchat.com", Path: "/cm/i", Reply: replyNoContent, Cookie: cookieScAt},
	}},
	{Name: "Microsoft", Routes: []route{
		{Host: "bat.bing.com", Path: "/bat.js", Script: "bat.js"},
		{Host: "bat.bing.com", Path: "/action/0", Reply: replyNoContent, Cookie: cookieMUID},
	}},
	{Name: "Google", Routes: []route{
		{Host: "www.googletagmanager.com", Path: "/gtag/js", Script: "gtag.js"},
		{Host: "region1.google-analytics.com", Path: "/g/collect", Reply: replyNoContent, CORS: true},
		{Host: "googleads.g.doubleclick.net", Path: "/pagead/viewthroughconversion/*/", Reply: replyGIF, Cookie: cookieIDE},
	}},
	// Pinterest's tag keeps sending after "Reject all".
	{Name: "Pinterest", Consent: tagPolicy{IgnoresReject: true}, Routes: []route{
		{Host: "s.pinimg.com", Path: "/ct/core.js", Script: "core.js"},
		{Host: "ct.pinterest.com", Path: "/v3/", Reply: replyGIF, Cookie: cookieArDebug},
	}},
}

var (
	cookieFr = &cookieSpec{Name: "fr", Domain: ".facebook.com", MaxAge: 90 * 86400, HTTPOnly: true,
		Value: func(b []byte) string { return "0" + b64url(b[:18]) + ".AWW" + b64url(b[18:24]) + ".0.0" }}
	cookieBcookie = &cookieSpec{Name: "bcookie", Domain: ".linkedin.com", MaxAge: 365 * 86400,
		Value: func(b []byte) string { return "v=2&" + uuid(b) }}
	cookieScAt = &cookieSpec{Name: "sc_at", Domain: ".snapchat.com", MaxAge: 365 * 86400, HTTPOnly: true,
		Value: func(b []byte) string { return "v2|" + b64url(b[:24]) }}
	cookieMUID = &cookieSpec{Name: "MUID", Domain: ".bing.com", MaxAge: 390 * 86400,
		Value: func(b []byte) string { return strings.ToUpper(hexString(b[:16])) }}
	cookieIDE = &cookieSpec{Name: "IDE", Domain: ".doubleclick.net", MaxAge: 390 * 86400, HTTPOnly: true,
		Value: func(b []byte) string { return "AHWqTU" + b64url(b[:30]) }}
	cookieArDebug = &cookieSpec{Name: "ar_debug", Domain: ".pinterest.com", MaxAge: 365 * 86400, HTTPOnly: true,
		Value: func([]byte) string { return "1" }}
)

// findRoute returns the route serving host and path, and its vendor.
func findRoute(host, path string) (*route, *vendor) {
	for vi := range vendors {
		v := &vendors[vi]
		for ri := range v.Routes {
			r := &v.Routes[ri]
			if r.Host == host && pathMatches(r.Path, path) {
				return r, v
			}
		}
	}
	return nil, nil
}

// vendorOfHost returns the vendor owning host, or nil.
func vendorOfHost(host string) *vendor {
	for vi := range vendors {
		for _, r := range vendors[vi].Routes {
			if r.Host == host {
				return &vendors[vi]
			}
		}
	}
	return nil
}

// pathMatches compares segment by segment; "*" matches one non-empty segment.
func pathMatches(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if ps[i] == "*" {
			if xs[i] == "" {
				return false
			}
			continue
		}
		if ps[i] != xs[i] {
			return false
		}
	}
	return true
}
