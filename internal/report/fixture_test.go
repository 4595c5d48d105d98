package report

import (
	"github.com/leakwatch/leakwatch/internal/audit"
)

// Realistic request URLs of the shop fixture.
const (
	shopConfirm  = "https://shop.example/checkout/confirmation?order=10452"
	shopAccount  = "https://shop.example/account/orders"
	metaPurchase = "https://www.facebook.com/tr/?id=1234567890123456&ev=Purchase&dl=https%3A%2F%2Fshop.example%2Fcheckout%2Fconfirmation%3Ftracking%3D9400111899223344556677&rl=&if=false&ts=1764341044000&cd[value]=49.00&cd[currency]=USD&ud[em]=f660ab912ec121d1b1e928a0bb4bc61b15f5ad44d5efdc4e1c92a25e99b8e44a&ud[zp]=3ec6c32ce6c7ce2ea4e8e21f7a4e1f9fc5d5d0b4a7b5d2f9ec06f0b2d1f3a2c4&v=2.9.176&r=stable"
	metaPageView = "https://www.facebook.com/tr/?id=1234567890123456&ev=PageView&dl=https%3A%2F%2Fshop.example%2Faccount%2Forders&udff[em]=f660ab912ec121d1b1e928a0bb4bc61b15f5ad44d5efdc4e1c92a25e99b8e44a"
	metaConfig   = "https://connect.facebook.net/signals/config/1234567890123456?v=2.9.176&r=stable"
	gaCollect    = "https://region1.google-analytics.com/g/collect?v=2&tid=G-ABC123XYZ&cid=1234.5678&en=page_view&dl=https%3A%2F%2Fshop.example%2Faccount%2Forders%3Femail%3Dtest%2540test.com&dt=Your%20orders"
	liWA         = "https://px.ads.linkedin.com/wa/"
	dcSync       = "https://cm.g.doubleclick.net/pixel?google_nid=linkedin&google_cm&google_sc"
	hotjarWS     = "wss://ws.hotjar.com/api/v2/client/ws"
)

// shopReport is a full report: several companies, leaks with encoding
// chains, a pattern, pixel configuration and behaviour findings, a failed
// policy and raw requests.
func shopReport() *audit.Report {
	leakEmail := audit.Finding{Type: audit.TypeLeak, Field: "email", Persona: "jane",
		Receiver: &audit.Receiver{Host: "www.facebook.com", Domain: "facebook.com", Company: "Meta"},
		Channel:  "query", Location: "ud[em]", Meaning: string(audit.MeaningHashedEmail),
		Encoding: []string{"sha256", "meta-normalize"}, Value: "t***@test.com",
		Evidence: "f660ab912ec121d1b1e928a0bb4bc61b15f5ad44d5efdc4e1c92a25e99b8e44a",
		Request:  &audit.RequestRef{URL: metaPurchase, Method: "GET", Index: 14, Time: "2026-11-28T14:44:04Z"},
		Page:     shopConfirm, Initiator: "https://connect.facebook.net/en_US/fbevents.js"}
	leakZip := leakEmail
	leakZip.Field, leakZip.Location, leakZip.Meaning, leakZip.Value = "zip", "ud[zp]", string(audit.MeaningHashedAddress), "9****"
	leakZip.Evidence = "3ec6c32ce6c7ce2ea4e8e21f7a4e1f9fc5d5d0b4a7b5d2f9ec06f0b2d1f3a2c4"
	leakTrack := leakEmail
	leakTrack.Field, leakTrack.Location, leakTrack.Meaning = "tracking_numbers", "dl > tracking", string(audit.MeaningPageURL)
	leakTrack.Encoding, leakTrack.Value, leakTrack.Evidence = []string{"url"}, "9400********6677", "tracking=9400111899223344556677"
	leakEmail2 := leakEmail
	leakEmail2.Location = "udff[em]"
	leakEmail2.Request = &audit.RequestRef{URL: metaPageView, Method: "GET", Index: 31, Time: "2026-11-28T14:45:10Z"}
	leakEmail2.Page = shopAccount
	leakLI := audit.Finding{Type: audit.TypeLeak, Field: "email", Persona: "jane",
		Receiver: &audit.Receiver{Host: "px.ads.linkedin.com", Domain: "linkedin.com", Company: "LinkedIn"},
		Channel:  "body", Location: "hem", Meaning: string(audit.MeaningHashedEmail),
		Encoding: []string{"base64", "gzip", "sha256"}, Value: "t***@test.com",
		Evidence: `"hem":"f660ab912ec121d1b1e928a0bb4bc61b15f5ad44d5efdc4e1c92a25e99b8e44a"`,
		Request:  &audit.RequestRef{URL: liWA, Method: "POST", Index: 17, Time: "2026-11-28T14:44:05Z"},
		Page:     shopConfirm, Initiator: "https://snap.licdn.com/li.lms-analytics/insight.min.js"}
	leakLIStreet := leakLI
	leakLIStreet.Field, leakLIStreet.Location, leakLIStreet.Meaning = "street", "domAttributes > innerText", ""
	leakLIStreet.Encoding, leakLIStreet.Value, leakLIStreet.Evidence = []string{"base64", "gzip"}, "1*** Main St", `"innerText":"Ship to 1600 Main St <script>"`
	leakGA := audit.Finding{Type: audit.TypeLeak, Field: "email", Persona: "jane",
		Receiver: &audit.Receiver{Host: "region1.google-analytics.com", Domain: "google-analytics.com", Company: "Google"},
		Channel:  "query", Location: "dl > email", Meaning: string(audit.MeaningPageURL),
		Encoding: []string{"url", "url"}, Value: "t***@test.com", Evidence: "email%3Dtest%2540test.com",
		Request: &audit.RequestRef{URL: gaCollect, Method: "GET", Index: 29, Time: "2026-11-28T14:45:08Z"},
		Page:    shopAccount, Initiator: "https://www.googletagmanager.com/gtag/js?id=G-ABC123XYZ"}
	pattern := audit.Finding{Type: audit.TypePattern, Rule: "phone",
		Receiver: &audit.Receiver{Host: "ws.hotjar.com", Domain: "hotjar.com", Company: "Hotjar"},
		Channel:  "websocket", Location: "frame 3 > data.text", Value: "+1 555 *** **55",
		Request: &audit.RequestRef{URL: hotjarWS, Method: "GET", Index: 33, Time: "2026-11-28T14:45:12Z"},
		Page:    shopAccount, Initiator: "https://static.hotjar.com/c/hotjar-3141592.js?sv=7"}
	aam := audit.Finding{Type: audit.TypeAutomaticMatching, Vendor: "Meta", Product: "Meta Pixel", Account: "1234567890123456",
		Summary: "Meta Pixel 1234567890123456 scrapes form fields for automatic advanced matching (em, ph, fn, ln, zp).",
		Details: []audit.Detail{{Name: "selectedMatchKeys", Value: "em, ph, fn, ln, zp"}, {Name: "config", Value: metaConfig}},
		Request: &audit.RequestRef{URL: metaConfig, Method: "GET", Index: 9}, Requests: []int{9, 31}}
	cfg := audit.Finding{Type: audit.TypePixelConfig, Vendor: "Meta", Product: "Meta Pixel", Account: "1234567890123456",
		Summary:  "The pixel configuration blocks no URL parameters (unwantedData is empty).",
		Details:  []audit.Detail{{Name: "unwantedData", Value: "[]"}, {Name: "protectedDataMode", Value: "off"}},
		Requests: []int{9}}
	sync := audit.Finding{Type: audit.TypeCookieSync, Vendor: "Google", Product: "DoubleClick",
		Summary:  "doubleclick.net passed its user ID to px.ads.linkedin.com in a redirect.",
		Details:  []audit.Detail{{Name: "from", Value: "cm.g.doubleclick.net"}, {Name: "to", Value: "px.ads.linkedin.com"}, {Name: "id", Value: "CAESEN****"}},
		Requests: []int{20, 21}}
	replay := audit.Finding{Type: audit.TypeSessionReplay, Vendor: "Hotjar", Product: "Hotjar",
		Account: "3141592", Summary: "Hotjar records the session (mouse, keys, page content) on /account/orders.",
		Requests: []int{33}, Page: shopAccount}
	violation := audit.Finding{Type: audit.TypeViolation, Rule: "no-persona-to-third-parties",
		Field: "email", Receiver: leakEmail.Receiver, Request: leakEmail.Request, Page: shopConfirm,
		Summary: "email reached Meta (www.facebook.com) in query ud[em]"}
	findings := []audit.Finding{leakEmail, leakZip, leakTrack, leakLI, leakLIStreet, leakGA, leakEmail2,
		pattern, aam, cfg, sync, replay, violation}
	// Audit groups its reports by company; the fixtures are grouped the same way.
	return (&audit.Report{
		Schema: audit.Schema,
		Tool:   audit.Tool{Name: "leakwatch", Version: "0.1.0"},
		Sources: []audit.Source{{Path: "testdata/shop-checkout.har", Creator: "WebInspector 537.36",
			Browser: "Chrome 131", Requests: 48, Pages: 2, Warnings: []string{"entry 47: response body not captured"}}},
		Pages: []audit.PageInfo{
			{URL: shopConfirm, Title: "Order confirmed – Shop", Started: "2026-11-28T14:44:01Z", Requests: 30, Screenshot: "page-1.png"},
			{URL: shopAccount, Title: "Your orders", Started: "2026-11-28T14:45:06Z", Requests: 18},
		},
		Summary: audit.Summary{Requests: 48, ThirdPartyRequests: 29, ThirdParties: 5, CompaniesWithData: 3,
			Leaks: 7, Patterns: 1, Pixels: 4, DataKinds: []string{"email", "zip", "tracking_numbers", "street"}},
		FirstParty:   audit.FirstParty{Company: "Shop Example", Domains: []string{"shop.example", "shopcdn.example"}},
		ThirdParties: shopThirdParties(),
		Pixels:       shopPixels(),
		Findings:     findings,
		Policy:       shopPolicy(),
		Requests:     shopRequests(),
		Warnings:     []string{"2 requests to blob: URLs were skipped"},
	}).Grouped()
}

func shopThirdParties() []audit.ThirdParty {
	return []audit.ThirdParty{
		{Company: "Meta", Known: true, Domains: []string{"facebook.com", "facebook.net"},
			Hosts: []string{"connect.facebook.net", "www.facebook.com"}, Categories: []string{"ad", "social"},
			Requests: 9, Blocked: 7, Rules: []string{"||facebook.com/tr/", "||connect.facebook.net^$third-party"},
			DataKinds: []string{"email", "zip", "tracking_numbers"}, Leaks: 4,
			Products: []string{"Meta Pixel"}, Accounts: []string{"1234567890123456"}, Events: []string{"PageView", "Purchase"}},
		{Company: "Google", Known: true, Domains: []string{"doubleclick.net", "google-analytics.com", "googletagmanager.com"},
			Hosts:    []string{"cm.g.doubleclick.net", "region1.google-analytics.com", "www.googletagmanager.com"},
			Requests: 11, Blocked: 6, Rules: []string{"||google-analytics.com^$third-party"}, Categories: []string{"analytics", "ad"},
			DataKinds: []string{"email"}, Leaks: 1, Products: []string{"GA4"}, Accounts: []string{"G-ABC123XYZ"}, Events: []string{"page_view"}},
		{Company: "LinkedIn", Known: true, Domains: []string{"licdn.com", "linkedin.com"},
			Hosts: []string{"px.ads.linkedin.com", "snap.licdn.com"}, Categories: []string{"ad"},
			Requests: 4, Blocked: 4, DataKinds: []string{"email", "street"}, Leaks: 2,
			Products: []string{"LinkedIn Insight Tag"}, Accounts: []string{"514876"}},
		{Company: "Hotjar", Known: true, Domains: []string{"hotjar.com"}, Hosts: []string{"static.hotjar.com", "ws.hotjar.com"},
			Categories: []string{"analytics"}, Requests: 3, Patterns: 1},
		{Company: "trk.example-cdn.io", Domains: []string{"example-cdn.io"}, Hosts: []string{"trk.example-cdn.io"}, Requests: 2},
	}
}

func shopPixels() []audit.PixelHit {
	meta := func(ev string, idx int, url, page string, fields ...audit.Field) audit.PixelHit {
		return audit.PixelHit{Vendor: "Meta", Product: "Meta Pixel", Account: "1234567890123456", Event: ev,
			Request: audit.RequestRef{URL: url, Method: "GET", Index: idx}, Page: page,
			Fields: append([]audit.Field{{Name: "id", Value: "1234567890123456", Meaning: audit.MeaningAccountID},
				{Name: "ev", Value: ev, Meaning: audit.MeaningEventName}}, fields...)}
	}
	return []audit.PixelHit{
		meta("PageView", 12, "https://www.facebook.com/tr/?id=1234567890123456&ev=PageView", shopConfirm,
			audit.Field{Name: "dl", Value: shopConfirm, Meaning: audit.MeaningPageURL}),
		meta("Purchase", 14, metaPurchase, shopConfirm,
			audit.Field{Name: "cd[value]", Value: "49.00", Meaning: audit.MeaningCustomData},
			audit.Field{Name: "ud[em]", Value: "f660ab912ec121d1b1e928a0bb4bc61b15f5ad44d5efdc4e1c92a25e99b8e44a", Meaning: audit.MeaningHashedEmail},
			audit.Field{Name: "ud[zp]", Value: "3ec6c32ce6c7ce2ea4e8e21f7a4e1f9fc5d5d0b4a7b5d2f9ec06f0b2d1f3a2c4", Meaning: audit.MeaningHashedAddress}),
		{Vendor: "LinkedIn", Product: "LinkedIn Insight Tag", Account: "514876", Event: "PAGE_VISIT",
			Request: audit.RequestRef{URL: liWA, Method: "POST", Index: 17}, Page: shopConfirm,
			Fields: []audit.Field{{Name: "pids", Value: "514876", Meaning: audit.MeaningAccountID},
				{Name: "hem", Value: "f660ab912ec121d1b1e928a0bb4bc61b15f5ad44d5efdc4e1c92a25e99b8e44a", Meaning: audit.MeaningHashedEmail},
				{Name: "pageTitle", Value: "Order confirmed – Shop", Meaning: audit.MeaningTitle}}},
		{Vendor: "Google", Product: "GA4", Account: "G-ABC123XYZ", Event: "page_view",
			Request: audit.RequestRef{URL: gaCollect, Method: "GET", Index: 29}, Page: shopAccount,
			Fields: []audit.Field{{Name: "tid", Value: "G-ABC123XYZ", Meaning: audit.MeaningAccountID},
				{Name: "cid", Value: "1234.5678", Meaning: audit.MeaningUserID},
				{Name: "dl", Value: "https://shop.example/account/orders?email=test%40test.com", Meaning: audit.MeaningPageURL}}},
	}
}

func shopPolicy() *audit.PolicyResult {
	return &audit.PolicyResult{Name: "shop release gate", Passed: false, Violations: 4, Rules: []audit.RuleResult{
		{ID: "no-persona-to-third-parties", Description: "No persona data to any third party", Passed: false,
			Violations: []string{
				"email reached Meta (www.facebook.com) in query ud[em] on " + shopConfirm,
				"email reached LinkedIn (px.ads.linkedin.com) in body hem on " + shopConfirm,
				"street reached LinkedIn (px.ads.linkedin.com) in body domAttributes > innerText on " + shopConfirm,
			}, Findings: []int{0, 3, 4}},
		{ID: "ga-page-urls-only", Description: "Google Analytics may receive page URLs but nothing from the persona", Passed: false,
			Violations: []string{"email reached Google (region1.google-analytics.com) in query dl > email on " + shopAccount},
			Findings:   []int{5}},
		{ID: "no-replay-on-account", Description: "No session replay on /account/*", Passed: true},
	}}
}

func shopRequests() []audit.RequestDetail {
	return []audit.RequestDetail{
		{Index: 14, URL: metaPurchase, Method: "GET", Time: "2026-11-28T14:44:04Z", Page: shopConfirm, Type: "image", Status: 200,
			Initiator: "https://connect.facebook.net/en_US/fbevents.js",
			Headers:   []string{"Referer: https://shop.example/", "Cookie: fr=[redacted]; sb=[redacted]", "User-Agent: Mozilla/5.0"}},
		{Index: 17, URL: liWA, Method: "POST", Time: "2026-11-28T14:44:05Z", Page: shopConfirm, Type: "fetch", Status: 200,
			Initiator: "https://snap.licdn.com/li.lms-analytics/insight.min.js",
			Headers:   []string{"Content-Type: text/plain;charset=UTF-8", "Origin: https://shop.example"},
			Body:      "H4sIAAAAAAAAA6tWSkxJUbIyNDA0NTU3MzWztjA2NDQ0MjY0NzI2MDI2MDIyMDQ0MDQ0MjQyMQIAnw3r6zEAAAA=<script>alert(1)</script>"},
		{Index: 29, URL: gaCollect, Method: "GET", Time: "2026-11-28T14:45:08Z", Page: shopAccount, Type: "ping", Status: 204,
			Headers: []string{"Referer: https://shop.example/account/orders?email=test%40test.com"}},
		{Index: 31, URL: metaPageView, Method: "GET", Time: "2026-11-28T14:45:10Z", Page: shopAccount, Type: "image", Status: 200},
	}
}

// emptyReport is a report of a capture with no third parties at all.
func emptyReport() *audit.Report {
	return (&audit.Report{
		Schema:       audit.Schema,
		Tool:         audit.Tool{Name: "leakwatch", Version: "0.1.0"},
		Sources:      []audit.Source{{Path: "empty.har", Requests: 1, Pages: 1}},
		Pages:        []audit.PageInfo{{URL: "https://static.example/", Requests: 1}},
		Summary:      audit.Summary{Requests: 1, DataKinds: []string{}},
		FirstParty:   audit.FirstParty{Domains: []string{"static.example"}},
		ThirdParties: []audit.ThirdParty{},
		Pixels:       []audit.PixelHit{},
		Findings:     []audit.Finding{},
	}).Grouped()
}

// crowdReport is two captures of a news site: many third parties, no
// persona, values that look personal found by pattern, no policy.
func crowdReport() *audit.Report {
	r := &audit.Report{
		Schema: audit.Schema,
		Tool:   audit.Tool{Name: "leakwatch", Version: "0.1.0"},
		Sources: []audit.Source{{Path: "news-home.har", Requests: 310, Pages: 1, Site: "news.example",
			Coverage: audit.Coverage{BodyRequests: 12, BodiesRecorded: 12, Responses: 310, ResponseBodies: 120}},
			{Path: "news-article.har.gz", Requests: 280, Pages: 1, Site: "news.example",
				Coverage: audit.Coverage{BodyRequests: 9, Responses: 280, WebSockets: 1},
				Warnings: []string{"cut off after entry 279; analyzed up to it"}}},
		BrowserTraffic: []audit.BrowserTraffic{{Host: "shavar.services.mozilla.com", Browser: "Firefox", Purpose: "tracking-protection list updates", Requests: 3}},
		Pages: []audit.PageInfo{{URL: "https://www.news.example/", Requests: 310},
			{URL: "https://www.news.example/2026/11/story", Requests: 280}},
		Summary: audit.Summary{Requests: 590, ThirdPartyRequests: 402, ThirdParties: 15, Patterns: 3, PatternsHigh: 2,
			IdentifierFlows: 4, DataKinds: []string{}, Unseen: []string{
				"No persona was given, so the tester's own values were not searched for; only values that look personal were.",
				"9 of 21 POST/PUT/PATCH request bodies were not recorded by the exporter: data sent in them cannot be seen."}},
		FirstParty: audit.FirstParty{Company: "News Example", Domains: []string{"news.example"}},
		Pixels:     []audit.PixelHit{},
	}
	names := []string{"Criteo", "Quantcast", "Taboola", "Outbrain", "Amazon", "Index Exchange", "Magnite", "PubMatic",
		"OpenX", "Xandr", "The Trade Desk", "LiveRamp", "Lotame", "comScore", "Chartbeat"}
	for i, n := range names {
		d := slug(n) + ".example"
		r.ThirdParties = append(r.ThirdParties, audit.ThirdParty{Company: n, Known: true, Domains: []string{d},
			Hosts: []string{"t." + d}, Categories: []string{"ad"}, Requests: 40 - 2*i, Blocked: (40 - 2*i) / 2})
	}
	r.ThirdParties[11].Patterns = 2
	// GA4 served through the site's own domain: no third party owns the host.
	r.Pixels = []audit.PixelHit{{Vendor: "Google", Product: "Google Analytics 4", Account: "G-NEWS123", Event: "page_view",
		Request: audit.RequestRef{URL: "https://metrics.news.example/g/collect?v=2&tid=G-NEWS123&en=page_view", Method: "POST", Index: 12},
		Page:    "https://www.news.example/", Fields: []audit.Field{{Name: "tid", Value: "G-NEWS123", Meaning: audit.MeaningAccountID}}}}
	r.Summary.Pixels = 1
	r.Findings = []audit.Finding{
		{Type: audit.TypePattern, Rule: "email", Receiver: &audit.Receiver{Host: "t.liveramp.example", Domain: "liveramp.example", Company: "LiveRamp"},
			Channel: "query", Location: "pv > em", Encoding: []string{"base64"}, Value: "r****@news.example",
			Request: &audit.RequestRef{URL: "https://t.liveramp.example/sync?pv=ZW09cmVhZGVyQG5ld3MuZXhhbXBsZQ==", Method: "GET", Index: 88, Source: 1},
			Page:    "https://www.news.example/2026/11/story"},
		{Type: audit.TypePattern, Rule: "us-address", Receiver: &audit.Receiver{Host: "t.liveramp.example", Domain: "liveramp.example", Company: "LiveRamp"},
			Channel: "body", Location: "user.addr", Value: "1*** Elm St, Springfield, IL 6****",
			Request: &audit.RequestRef{URL: "https://t.liveramp.example/id", Method: "POST", Index: 91, Source: 1},
			Page:    "https://www.news.example/2026/11/story"},
		{Type: audit.TypePattern, Rule: "payment-card", Receiver: &audit.Receiver{Host: "t.criteo.example", Domain: "criteo.example", Company: "Criteo"},
			Channel: "query", Location: "cb", Value: "4111********1111", Confidence: audit.ConfidenceLow,
			Reason:  "passes Luhn, but sits in a cache-buster parameter and changes from request to request",
			Request: &audit.RequestRef{URL: "https://t.criteo.example/px?cb=4111111111111111", Method: "GET", Index: 40}},
		crowdSync("TDID", "tradedesk.example", "3f2a****", "Criteo", "criteo.example", 21, 22),
		crowdSync("TDID", "tradedesk.example", "3f2a****", "PubMatic", "pubmatic.example", 23),
		crowdSync("TDID", "tradedesk.example", "3f2a****", "Xandr", "xandr.example", 24),
		crowdSync("_ga", "news.example", "GA1.2.88****", "Quantcast", "quantcast.example", 30),
		{Type: audit.TypeThirdPartyCookie, Vendor: "Criteo", Summary: "Third party Criteo (criteo.example) set 3 cookies.",
			Receiver: &audit.Receiver{Host: "t.criteo.example", Domain: "criteo.example", Company: "Criteo"}, Requests: []int{4, 9}},
		{Type: audit.TypeThirdPartyCookie, Vendor: "Taboola", Summary: "Third party Taboola (taboola.example) set 1 cookie(s).",
			Receiver: &audit.Receiver{Host: "t.taboola.example", Domain: "taboola.example", Company: "Taboola"}, Requests: []int{5}},
		{Type: audit.TypeFingerprinting, Vendor: "Unknown", Summary: "A script read canvas pixels after drawing text (canvas fingerprinting).",
			Details: []audit.Detail{{Name: "script", Value: "https://cdn.fp.example/fp.js"}}, Requests: []int{17}},
	}
	return r.Grouped()
}

// crowdSync is a cookie-sync finding: the identifier in a cookie of giver
// sent to a company.
func crowdSync(cookie, giver, id, company, domain string, reqs ...int) audit.Finding {
	kind := "third-party"
	if giver == "news.example" {
		kind = "first-party"
	}
	return audit.Finding{Type: audit.TypeCookieSync, Vendor: company,
		Receiver: &audit.Receiver{Host: "t." + domain, Domain: domain, Company: company},
		Summary:  "An identifier from the cookie " + cookie + " of " + giver + " was sent to " + company + " (" + domain + ") in a request URL.",
		Details: []audit.Detail{{Name: "identifier", Value: id}, {Name: "cookie", Value: cookie}, {Name: "giver", Value: giver},
			{Name: "giver_kind", Value: kind}, {Name: "receiver", Value: domain}},
		Request: &audit.RequestRef{Index: reqs[0], Source: 0}, Requests: reqs}
}
