package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// googleAds decodes Google Ads conversion and remarketing hits. The
// conversion ID is a path segment; "data" holds "event=purchase;k=v".
var googleAds = Decoder{
	Vendor:  "Google",
	Product: "Google Ads",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return googleAdsKind(u) != ""
	},
	Decode: decodeGoogleAds,
}

// googleAdsKind names the kind of Google Ads hit, "" when u is none. The
// paths are those the Google tag sends to on every Google Ads host
// (isGoogleAdsHost); the remarketing "rul" pings only go to
// td.doubleclick.net.
func googleAdsKind(u *url.URL) string {
	if pathHasPrefix(u, "/td/rul/", "/td/ga/rul") {
		if hostIs(u, "td.doubleclick.net") {
			return "remarketing"
		}
		return ""
	}
	p := strings.ToLower(u.EscapedPath())
	for _, k := range googleAdsPaths {
		if strings.HasPrefix(p, k.prefix) || k.anywhere && strings.Contains(p, k.prefix) {
			if isGoogleAdsHost(u) {
				return k.kind
			}
			return ""
		}
	}
	return ""
}

// googleAdsPaths are the Google Ads hit paths, most specific first. With
// idInPath the conversion ID is the third path segment
// (/pagead/conversion/<id>/); anywhere matches the text inside the path.
var googleAdsPaths = []struct {
	prefix, kind       string
	idInPath, anywhere bool
}{
	{prefix: "/pagead/viewthroughconversion/", kind: "viewthroughconversion", idInPath: true},
	{prefix: "/pagead/conversion/", kind: "conversion", idInPath: true},
	{prefix: "/pagead/1p-user-list/", kind: "1p-user-list", idInPath: true},
	{prefix: "/pagead/1p-conversion/", kind: "1p-conversion", idInPath: true},
	{prefix: "/ads/user-lists/", kind: "user-list", idInPath: true},
	{prefix: "/measurement/conversion", kind: "measurement/conversion"},
	{prefix: "/privacy-sandbox/register-conversion", kind: "register-conversion", anywhere: true},
}

// googleAdsIDInPath reports whether u's kind carries the conversion ID as
// a path segment.
func googleAdsIDInPath(u *url.URL) bool {
	for _, k := range googleAdsPaths {
		if k.idInPath && pathHasPrefix(u, k.prefix) {
			return true
		}
	}
	return false
}

var googleAdsRules = makeRules(map[string]Meaning{
	"label": AccountID, "tid": AccountID,
	"url": PageURL, "ref": Referrer, "tiba": Title,
	"value": CustomData, "currency_code": CustomData, "oid": CustomData, "data*": CustomData,
	"data>event": EventName,
	"gclaw":      ClickID, "gac": ClickID, "gclid": ClickID, "gclgb": ClickID, "gclgs": ClickID,
	"gclst": ClickID, "auid": BrowserID, "gacid": BrowserID,
	"u_*": Device, "ua*": Device, "bg": Device,
	"random": Technical, "cv": Technical, "fst": Technical, "guid": Technical, "async": Technical,
	"gtm": Technical, "fmt": Technical, "rfmt": Technical, "frm": Technical, "fledge": Technical,
	"hn": Technical, "script": Technical, "npa": Technical, "gdpr": Technical, "aip": Technical,
	"z": Technical, "pscdl": Technical, "gcs": Technical, "gcd": Technical, "dma": Technical,
	"ct_cookie_present": Technical, "tag_exp": Technical, "is_vtc": Technical, "eitems": Technical,
	"em": HashedEmail, "ipr": Technical, "rmt_tld": Technical,
	"dma_cps": Technical, "gcu": Technical, "gcut": Technical, "en": EventName,
	"dl": PageURL, "dr": Referrer, "dt": Title, "gbraid": ClickID, "wbraid": ClickID,
})

func decodeGoogleAds(r *traffic.Request, u *url.URL) []Hit {
	var ps []param
	for _, p := range allParams(r, u) {
		if strings.EqualFold(p.Name, "data") && strings.Contains(p.Value, "=") {
			for _, kv := range strings.Split(p.Value, ";") {
				k, v, _ := strings.Cut(kv, "=")
				ps = append(ps, param{"data>" + k, v})
			}
			continue
		}
		ps = append(ps, p)
	}
	h := googleHit("Google Ads", googleAdsRules, ps)
	kind := googleAdsKind(u)
	if googleAdsIDInPath(u) || pathHasPrefix(u, "/td/rul/") {
		h.Account = pathSegment(u, 2)
	}
	if h.Event == "" && !hasMeaning(h.Fields, EventName) {
		h.Event = kind
	}
	return []Hit{h}
}

// floodlight decodes Campaign Manager Floodlight tags, whose parameters are
// ";k=v" pairs in the path (activity; and the iframe form activityi;).
var floodlight = Decoder{
	Vendor:  "Google",
	Product: "Floodlight",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "ad.doubleclick.net", "fls.doubleclick.net") &&
			pathHasPrefix(u, "/activity;", "/activityi;", "/ddm/activity/", "/ddm/fls/")
	},
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		ps := append(matrixParams(u.EscapedPath()), allParams(r, u)...)
		b := newBuilder("Google", "Floodlight", floodlightRules)
		b.addParams(ps)
		addConsentFields(b)
		return []Hit{b.hit}
	},
}

var floodlightRules = makeRules(map[string]Meaning{
	"src": AccountID, "dc_iu": AccountID, "cat": EventName, "type": CustomData,
	"~oref": PageURL, "u*": CustomData, "qty": CustomData, "cost": CustomData,
	"gclid": ClickID, "dc_pre": ClickID, "auiddc": BrowserID, "dc_rdid": Device, "dc_lat": Device,
	"ord": Technical, "num": Technical, "npa": Technical, "gdpr": Technical, "dc_*": Technical,
	"tag_for_child_directed_treatment": Technical, "tfua": Technical, "gtm": Technical,
	"gcs": Technical, "gcd": Technical, "dma": Technical, "dma_cps": Technical, "pscdl": Technical,
	"gcu": Technical, "gcut": Technical, "tag_exp": Technical,
	"ps": Technical, "pcor": Technical, "uaa": Device, "uab": Device, "uafvl": Device,
	"uamb": Device, "uam": Device, "uap": Device, "uapv": Device, "uaw": Device,
})

// matrixParams returns the ";k=v" parameters in a path, unescaped.
func matrixParams(path string) []param {
	_, rest, ok := strings.Cut(path, ";")
	if !ok {
		return nil
	}
	var out []param
	for _, part := range strings.Split(rest, ";") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		out = append(out, param{pathUnescape(k), pathUnescape(v)})
	}
	return out
}

func pathUnescape(s string) string {
	if v, err := url.PathUnescape(s); err == nil {
		return v
	}
	return s
}
