package pixel

import (
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// isGoogleDomain reports whether u's host is google.<public suffix> or a
// subdomain of one: www.google.com, www.google.com.ar, google.co.uk,
// adservice.google.se. Only ICANN suffixes count, so a name registered
// under a private suffix (google.github.io) is not Google.
func isGoogleDomain(u *url.URL) bool {
	h := host(u)
	suffix, icann := publicsuffix.PublicSuffix(h)
	if !icann || suffix == h {
		return false
	}
	rest := strings.TrimSuffix(h, "."+suffix)
	if rest == h {
		return false
	}
	return rest == "google" || strings.HasSuffix(rest, ".google")
}

// isGoogleAdsHost reports the hosts Google Ads conversion and remarketing
// hits are sent to: every Google country domain, googleadservices.com,
// doubleclick.net and googlesyndication.com.
func isGoogleAdsHost(u *url.URL) bool {
	return isGoogleDomain(u) || hostIs(u, "googleadservices.com", "doubleclick.net", "googlesyndication.com")
}
