package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/party"
)

// testParty classifies reqURL against pageURL by registrable domain only,
// so these tests do not depend on the party package's entity data.
func testParty(pageURL, reqURL string) party.Party {
	h := hostOf(reqURL)
	d := party.RegistrableDomain(h)
	if d == "" {
		d = h
	}
	pd := party.RegistrableDomain(hostOf(pageURL))
	return party.Party{Host: h, Domain: d, Company: d, ThirdParty: pd != "" && d != pd}
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}
