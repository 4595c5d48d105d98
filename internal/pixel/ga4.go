package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// googleAnalytics4 decodes GA4 /g/collect hits. Shared parameters ride in
// the query; a POST body may batch one event per line, each line a hit
// merged over the shared query.
var googleAnalytics4 = Decoder{
	Vendor:  "Google",
	Product: "Google Analytics 4",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		if !pathIs(u, "/g/collect") {
			return false
		}
		if hostIs(u, "google-analytics.com", "analytics.google.com", "stats.g.doubleclick.net") {
			return true
		}
		tid := u.Query().Get("tid") // a first-party server container
		return strings.HasPrefix(tid, "G-")
	},
	Decode: decodeGA4,
}

var ga4Rules = makeRules(map[string]Meaning{
	"tid": AccountID, "en": EventName,
	"dl": PageURL, "dr": Referrer, "dt": Title, "dh": PageURL, "dp": PageURL,
	"uid": UserID, "cid": BrowserID, "sid": BrowserID, "_gid": BrowserID,
	"ep.*": CustomData, "epn.*": CustomData, "up.*": CustomData, "upn.*": CustomData,
	"pr*": CustomData, "cu": CustomData,
	"ul": Device, "sr": Device, "ua*": Device,
	"v": Technical, "gtm": Technical, "sct": Technical, "seg": Technical, "_s": Technical,
	"_fv": Technical, "_ss": Technical, "_et": Technical, "_p": Technical, "_eu": Technical,
	"_ee": Technical, "_nsi": Technical, "_c": Technical, "_z": Technical, "ngs": Technical,
	"frm": Technical, "pscdl": Technical, "tfd": Technical, "are": Technical, "_dbg": Technical,
	"richsstsse": Technical, "z": Technical, "gcs": Technical, "gcd": Technical, "dma": Technical,
	"dma_cps": Technical, "npa": Technical, "gdpr": Technical, "gdpr_consent": Technical,
	"aip": Technical, "_r": Technical, "tag_exp": Technical, "_gaz": Technical, "_uip": Device,
	"em": HashedEmail,
})

func decodeGA4(r *traffic.Request, u *url.URL) []Hit {
	query := queryParams(u)
	lines := bodyLines(r)
	if len(lines) == 0 {
		return []Hit{googleHit("Google Analytics 4", ga4Rules, query)}
	}
	out := make([]Hit, 0, len(lines))
	for _, line := range lines {
		out = append(out, googleHit("Google Analytics 4", ga4Rules, mergeParams(query, parseQuery(line))))
	}
	return out
}

// bodyLines returns the non-empty lines of a text body; form Params recorded
// without a body count as one line.
func bodyLines(r *traffic.Request) []string {
	body := requestBody(r)
	if len(body) == 0 {
		if len(r.Params) == 0 {
			return nil
		}
		parts := make([]string, 0, len(r.Params))
		for _, p := range r.Params {
			parts = append(parts, url.QueryEscape(p.Name)+"="+url.QueryEscape(p.Value))
		}
		return []string{strings.Join(parts, "&")}
	}
	var out []string
	for _, l := range strings.Split(string(body), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// mergeParams returns shared with each name the line also sets replaced by
// the line's value, followed by the line's other parameters.
func mergeParams(shared, line []param) []param {
	set := map[string]bool{}
	for _, p := range line {
		set[p.Name] = true
	}
	out := make([]param, 0, len(shared)+len(line))
	for _, p := range shared {
		if !set[p.Name] {
			out = append(out, p)
		}
	}
	return append(out, line...)
}

// googleHit builds a Google hit, parsing an enhanced-conversions "em"
// value token by token.
func googleHit(product string, rl *rules, ps []param) Hit {
	b := newBuilder("Google", product, rl)
	for _, p := range ps {
		if strings.EqualFold(p.Name, "em") && strings.HasPrefix(p.Value, "tv.1") {
			addEnhancedConversions(b, p.Name, p.Value)
			continue
		}
		if isItemParam(p.Name) && strings.Contains(p.Value, "~") {
			for _, tok := range strings.Split(p.Value, "~") {
				if len(tok) >= 2 {
					b.addAs(p.Name+">"+tok[:2], tok[2:], CustomData)
				} else if tok != "" {
					b.addAs(p.Name+">"+tok, "", CustomData)
				}
			}
			continue
		}
		b.addValue(p.Name, p.Value)
	}
	addConsentFields(b)
	return b.hit
}

// isItemParam reports a GA4 item parameter "pr<n>", whose value is
// "~"-separated two-letter keys and values (id, nm product name, pr price,
// br brand, ca category, qt quantity, k0/v0 custom pairs).
func isItemParam(name string) bool {
	return len(name) > 2 && name[:2] == "pr" && isDigits(name[2:])
}
