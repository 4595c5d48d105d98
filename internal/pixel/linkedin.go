package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// linkedInInsight decodes the LinkedIn Insight Tag: /collect and
// /attribution_trigger GETs and /wa/ website-action POSTs, whose JSON body
// may be base64 of gzip.
var linkedInInsight = Decoder{
	Vendor:  "LinkedIn",
	Product: "LinkedIn Insight Tag",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "px.ads.linkedin.com", "px4.ads.linkedin.com") &&
			pathIs(u, "/collect", "/attribution_trigger", "/wa")
	},
	Decode: decodeLinkedIn,
}

var linkedInRules = makeRules(map[string]Meaning{
	"pid": AccountID, "pids": AccountID, "pids*": AccountID,
	"url": PageURL, "pagetitle": Title, "hem": HashedEmail,
	"conversionid": EventName, "signaltype": EventName,
	"li_fat_id": ClickID, "lifatid": ClickID, "ligiant": BrowserID, "li_adsid": BrowserID,
	"e_ipv4": Device,
	"v":      Technical, "fmt": Technical, "time": Technical, "tm": Technical, "eventid": Technical,
	"lisync": Technical, "scriptversion": Technical, "websitesignalrequestid": Technical,
	"domain": Technical, "isTranslated": Technical,
	"href": CustomData, "domattributes*": CustomData, "innerelements*": CustomData,
	"elementcrumbstree*": CustomData,
})

func decodeLinkedIn(r *traffic.Request, u *url.URL) []Hit {
	b := newBuilder("LinkedIn", "LinkedIn Insight Tag", linkedInRules)
	b.addParams(allParams(r, u))
	if body := linkedInBody(r); body != nil {
		if !b.addJSON("", body, CustomData) {
			b.addAs("body", string(body), Raw)
		}
	}
	if b.hit.Event == "" && !hasMeaning(b.hit.Fields, EventName) {
		b.hit.Event = strings.Trim(strings.ToLower(u.Path), "/")
	}
	return []Hit{b.hit}
}

// linkedInBody returns a /wa/ body as JSON: as sent, or base64-gunzipped
// when it starts "H4sI". A body that is neither is returned as is.
func linkedInBody(r *traffic.Request) []byte {
	if len(r.Body) == 0 || formParams(r) != nil {
		return nil
	}
	body := requestBody(r)
	s := strings.Trim(strings.TrimSpace(string(body)), `"`)
	if strings.HasPrefix(s, "H4sI") {
		if gz, ok := decodeBase64(s); ok {
			if js, ok := gunzip(gz); ok {
				return js
			}
		}
	}
	return body
}

// hasMeaning reports whether any field has meaning m.
func hasMeaning(fs []Field, m Meaning) bool {
	for _, f := range fs {
		if f.Meaning == m {
			return true
		}
	}
	return false
}
