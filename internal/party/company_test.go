package party

import (
	"strings"
	"testing"
)

// TestCompanyNamesClean checks every embedded entity's company: no trailing
// legal form unless owners.tsv writes it so, no "!" spellings, and a single
// spelling per company when case is ignored.
func TestCompanyNamesClean(t *testing.T) {
	t.Parallel()
	idx, err := embeddedIndex()
	if err != nil {
		t.Fatal(err)
	}
	canonical := make(map[string]bool)
	for _, o := range idx.owners {
		canonical[o] = true
	}
	spelling := make(map[string]string)
	for _, e := range idx.ents {
		c := e.Company
		if c == "" {
			t.Errorf("entity %q has no company", e.Name)
			continue
		}
		if !canonical[c] && stripLegalForm(c) != c {
			t.Errorf("entity %q: company %q carries a legal form", e.Name, c)
		}
		if strings.HasSuffix(c, "!") || strings.ContainsAny(c, "()") || c == "Open Source" || strings.Contains(c, " only") {
			t.Errorf("entity %q: company %q", e.Name, c)
		}
		if prev, ok := spelling[strings.ToLower(c)]; ok && prev != c {
			t.Errorf("company spelled %q and %q", prev, c)
		}
		spelling[strings.ToLower(c)] = c
	}
}

func TestStripLegalForm(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"ByteDance Ltd", "ByteDance"},
		{"Fing Co Ltd.", "Fing"},
		{"APSIS International AB", "APSIS International"},
		{"Key Arg B.V.", "Key Arg"},
		{"Vivocha S.p.A", "Vivocha"},
		{"Stackla PTY", "Stackla"},
		{"Acme, Inc.", "Acme"},
		{"J.D. Williams & Co", "J.D. Williams"},
		{"LINE Corporation", "LINE"},
		{"Example GmbH & Co. KG", "Example"},
		{"Tom&Co", "Tom&Co"},   // no separate legal form
		{"Vivocha", "Vivocha"}, // ends in letters of no form
		{"Inc", "Inc"},         // nothing but a form
		{"Cisco", "Cisco"},     // "co" inside a word
		{"Ultra Unlimited", "Ultra Unlimited"},
		{"  Google  ", "Google"},
	}
	for _, tt := range tests {
		if got := stripLegalForm(tt.in); got != tt.want {
			t.Errorf("stripLegalForm(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestCompanyOfHost is the table of company families: whatever product or
// domain a request goes to, the report names the company people know.
func TestCompanyOfHost(t *testing.T) {
	t.Parallel()
	c := newTestClassifier(t, Options{})
	tests := []struct{ host, company string }{
		{"www.google.com.ar", "Google"},
		{"www.google.co.uk", "Google"},
		{"google.com.mx", "Google"},
		{"adservice.google.com.br", "Google"},
		{"www.google.de", "Google"},
		{"ep1.adtrafficquality.google", "Google"},
		{"blog.google", "Google"},
		{"lh5.googleusercontent.com", "Google"},
		{"doc-0s-2k-docs.googleusercontent.com", "Google"},
		{"www.youtube.com", "Google"},
		{"analytics.tiktok.com", "ByteDance"},
		{"analytics-ipv6.tiktokw.us", "ByteDance"},
		{"edge.adobedc.net", "Adobe"},
		{"dpm.demdex.net", "Adobe"},
		{"assets.adobedtm.com", "Adobe"},
		{"prod.uidapi.com", "The Trade Desk"},
		{"match.adsrvr.org", "The Trade Desk"},
		{"edge.permutive.app", "Permutive"},
		{"api.permutive.com", "Permutive"},
		{"us.creativecdn.com", "RTB House"},
		{"www.rtbhouse.com", "RTB House"},
		{"de-config.sensic.net", "GfK"},
		{"as-sec.casalemedia.com", "Index Exchange"},
		{"sb.scorecardresearch.com", "Comscore"},
		{"b.scorecardresearch.com", "Comscore"},
		{"static.ads-twitter.com", "X"},
		{"analytics.twitter.com", "X"},
		{"t.co", "X"},
		{"connect.facebook.net", "Meta"},
		{"www.instagram.com", "Meta"},
		{"tr.snapchat.com", "Snap"},
		{"bat.bing.com", "Microsoft"},
		{"www.bing.net", "Microsoft"},
		{"ib.adnxs.com", "Microsoft"},
		{"px.ads.linkedin.com", "LinkedIn"},
		{"www.amazon.de", "Amazon"},
		{"www.amazon.com", "Amazon"},
		{"m.media-amazon.com", "Amazon"},
		{"aax.amazon-adsystem.com", "Amazon"},
		{"s3.amazonaws.com", "Amazon"},
		{"analytics.yahoo.com", "Yahoo"},
		{"fr.yahoo.com", "Yahoo"},
		{"www.yahoo.co.jp", "Yahoo Japan"},
		{"s.yimg.jp", "Yahoo Japan"},
		{"tags.bluekai.com", "Oracle"},
		{"z.moatads.com", "Oracle"},
		{"www.nytimes.com", "The New York Times"},
		{"a1.nyt.com", "The New York Times"},
		{"static.bbci.co.uk", "BBC"},
		{"cdn.cookielaw.org", "OneTrust"},
		{"ads.stickyadstv.com", "Comcast"},
		{"fastlane.rubiconproject.com", "Magnite"},
		{"munchkin.marketo.net", "Adobe"},
		{"sb.monetate.net", "Monetate"},
	}
	for _, tt := range tests {
		p := c.Classify("https://www.example.org/", "https://"+tt.host+"/x", "script")
		if p.Company != tt.company || !p.Known {
			t.Errorf("%s: company %q (known %v, entity %q), want %q", tt.host, p.Company, p.Known, p.Entity, tt.company)
		}
	}
}

// TestFamiliesStayInFamily: family rules never reach private suffixes,
// look-alike labels or suffixes a brand does not use.
func TestFamiliesStayInFamily(t *testing.T) {
	t.Parallel()
	c := newTestClassifier(t, Options{})
	for _, host := range []string{
		"google.github.io", "google.blogspot.com", "mygoogle.com.ar", "google-fan.com",
		"google.com.evil.test", "amazon.example.com", "amazon.xyz", "yahoo.example",
		"googleusercontent.example.com", "www.example.com",
	} {
		p := c.Classify("https://www.example.org/", "https://"+host+"/x", "script")
		if p.Company == "Google" || p.Company == "Amazon" || p.Company == "Yahoo" {
			t.Errorf("%s: known as %s (%s)", host, p.Company, p.Entity)
		}
	}
}

func TestCompanyName(t *testing.T) {
	t.Parallel()
	c := newTestClassifier(t, Options{})
	tests := []struct{ in, want string }{
		{"Google Analytics", "Google"},
		{"Other Google APIs/SDKs", "Google"},
		{"Google/Doubleclick Ads", "Google"},
		{"TikTok", "ByteDance"},
		{"ByteDance Ltd", "ByteDance"},
		{"Twitter", "X"},
		{"X", "X"},
		{"Facebook", "Meta"},
		{"META", "Meta"},
		{"meta", "Meta"},
		{"Snapchat", "Snap"},
		{"comScore", "Comscore"},
		{"Scorecard Research", "Comscore"},
		{"WPP", "WPP"},
		{"Index Exchange", "Index Exchange"},
		{"Adobe Systems", "Adobe"},
		{"Acme Widgets GmbH", "Acme Widgets"},
		// Tracker Radar and Disconnect spell companies with legal forms.
		{"Facebook, Inc.", "Meta"},
		{"Meta Platforms, Inc.", "Meta"},
		{"Google LLC", "Google"},
		{"Twitter, Inc.", "X"},
		{"ByteDance Ltd.", "ByteDance"},
		{"comScore, Inc", "Comscore"},
		{"Amazon Technologies, Inc.", "Amazon"},
		{"Microsoft Corporation", "Microsoft"},
		{"Oracle Corporation", "Oracle"},
		{"Criteo SA", "Criteo"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := c.Company(tt.in); got != tt.want {
			t.Errorf("Company(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestExtraEntitiesHold checks every domain of data/extra.tsv: it resolves to
// the line's entity, so no later line or ignored suffix silently drops it.
func TestExtraEntitiesHold(t *testing.T) {
	t.Parallel()
	c := newTestClassifier(t, Options{})
	extra, err := parseEntityTable(extraTSV, "extra.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range extra {
		if len(e.Domains) == 0 {
			t.Errorf("extra.tsv %q: no domains", e.Name)
		}
		for _, d := range e.Domains {
			host := strings.TrimPrefix(d, "*.")
			got := c.Entity(host)
			if got == nil || !strings.EqualFold(got.Name, e.Name) {
				t.Errorf("extra.tsv %q: %s resolves to %v", e.Name, host, got)
			}
		}
	}
}

// TestWebXrayMergeOrder: a webXray table fills gaps, third-party-web and the
// hand-maintained additions win for the domains they list, and webXray's
// parents go through owners.tsv.
func TestWebXrayMergeOrder(t *testing.T) {
	t.Parallel()
	wx := "DoubleClick\tAlphabet\t\tad\t*.doubleclick.net *.dclk-only.test\n" +
		"Tiny Tracker\t\t\tanalytics\t*.tiny-tracker.test\n"
	tables := embeddedTables()
	tables[0] = entityTable{"webxray.tsv", wx}
	idx, err := buildEmbedded(tables, ownersTSV, familiesTSV)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ host, entity, company string }{
		{"stats.g.doubleclick.net", "Google/Doubleclick Ads", "Google"},
		{"x.dclk-only.test", "DoubleClick", "Google"},
		{"a.tiny-tracker.test", "Tiny Tracker", "Tiny Tracker"},
	}
	for _, tt := range tests {
		r, ok := idx.lookup(tt.host)
		if !ok {
			t.Errorf("%s: unknown", tt.host)
			continue
		}
		if e := idx.ents[r.ent]; e.Name != tt.entity || e.Company != tt.company {
			t.Errorf("%s: %s/%s, want %s/%s", tt.host, e.Name, e.Company, tt.entity, tt.company)
		}
	}
}
