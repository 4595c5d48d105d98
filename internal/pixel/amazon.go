package pixel

import "net/url"

// amazonAdTag decodes Amazon Ad Tag events, s.amazon-adsystem.com/iu3
// (and regional aax hosts) with pid the pixel and event the event name.
// The same path also serves "dtb-pub" ID-sync frames without pid: those are
// cookie matching, not Ad Tag events, and are not matched.
var amazonAdTag = paramVendor{
	Vendor: "Amazon", Product: "Amazon Ad Tag",
	Match: func(u *url.URL) bool {
		return hostIs(u, "amazon-adsystem.com") && pathIs(u, "/iu3", "/s/iu3") && queryHas(u, "pid")
	},
	Rules: makeRules(map[string]Meaning{
		"pid": AccountID, "event": EventName, "ts": Technical, "cb": Technical,
		"gdpr": Technical, "gdpr_consent": Technical, "us_privacy": Technical,
	}),
}.decoder()
