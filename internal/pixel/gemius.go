package pixel

import (
	"net/url"
	"strings"
)

// gemius decodes Gemius (gemiusPrism / gemiusAudience) hits sent as
// <prefix>.hit.gemius.pl/_<timestamp>/redot.gif (rexdot.gif, redot.js): id
// is the measured site's identifier, href the page, ref the referrer.
var gemius = paramVendor{
	Vendor: "Gemius", Product: "Gemius",
	Match: func(u *url.URL) bool {
		p := strings.ToLower(u.EscapedPath())
		return hostIs(u, "gemius.pl", "gemius.com") && (strings.HasSuffix(p, "/redot.gif") ||
			strings.HasSuffix(p, "/rexdot.gif") || strings.HasSuffix(p, "/redot.js") || strings.HasSuffix(p, "/sredot.gif"))
	},
	Rules: makeRules(map[string]Meaning{
		"id": AccountID, "href": PageURL, "ref": Referrer, "et": EventName, "fr": Technical,
		"tz": Device, "screen": Device, "window": Device, "col": Device, "lan": Device,
		"fpdata": BrowserID, "fpdata1": BrowserID, "nc": Technical, "extra": CustomData,
		"hsrc": Technical, "sarg": Technical, "l": Technical, "pvid": Technical,
	}),
	Event: eventNamed("view"),
}.decoder()
