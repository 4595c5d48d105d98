package pixel

import "net/url"

// newRelicBrowser decodes New Relic Browser agent harvests to
// bam.nr-data.net (and bam-cell., eu01.): the page-view call /1/<license
// key> and the /events/, /jserrors/, /ins/, /resources/, /browser/ harvests
// whose bodies ("bel.7;..." text or JSON) carry page URLs and timings. a is
// the application ID, ref the page URL, s the session.
var newRelicBrowser = paramVendor{
	Vendor: "New Relic", Product: "New Relic Browser",
	Match: matchHostPath([]string{"nr-data.net"}, "/1/", "/events/", "/jserrors/", "/ins/",
		"/resources/", "/browser/", "/timing/"),
	Rules: makeRules(map[string]Meaning{
		"a": AccountID, "ref": PageURL, "s": BrowserID, "ptid": Technical, "v": Technical,
		"to": Technical, "rst": Technical, "ck": Technical, "ap": Technical, "be": Technical,
		"fe": Technical, "dc": Technical, "af": Technical, "perf": Technical, "at": Technical,
		"jsonp": Technical, "hr": Technical, "st": Technical, "ja": CustomData, "xhr*": CustomData,
		"err*": CustomData, "ins*": CustomData, "pageUrl": PageURL, "browser_monitoring_key": Technical,
	}),
	Event: func(u *url.URL) string {
		if seg := pathSegment(u, 0); seg != "1" {
			return seg
		}
		return "page view"
	},
}.decoder()
