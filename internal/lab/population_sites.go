package lab

import (
	"fmt"
	"math/rand/v2"
	"sort"
)

// populationVisitor is the one visitor every population page greets: his
// values are on the page, as a shop shows them to a returning customer.
var populationVisitor = account{
	FirstName: "Riley",
	LastName:  "Okafor",
	Email:     "riley.okafor@example.org",
	Phone:     "(312) 555-0199",
}

// popSite is one shop of a population and what its page does.
type popSite struct {
	Index  int
	Line   string // as listed in a sites file
	Host   string
	Domain string
	// Vendors are the lab vendors whose tags the page loads (by name).
	Vendors map[string]bool
	// Leaks are the names of popLeaks the page commits.
	Leaks map[string]bool
}

// popLeak is one way a page hands the visitor's values to tags: the
// vendors that then receive them and which persona keys.
type popLeak struct {
	Name string
	// Chance is the probability a page commits it, when Needs is loaded.
	Chance float64
	// Needs is a vendor that must be on the page, empty for none.
	Needs string
	// Gets maps each receiving vendor (when loaded) to the persona keys.
	Gets map[string][]string
}

var (
	nameKeys  = []string{"email", "first_name", "last_name"}
	emailOnly = []string{"email"}
)

// popLeaks is the table of leaks a population page may commit. Order
// matters only for the random draws.
var popLeaks = []popLeak{
	// A "welcome back" block with schema.org markup: Meta's automatic
	// advanced matching scrapes and hashes it (udff[em], [fn], [ln]).
	{Name: "profile", Chance: 0.5, Gets: map[string][]string{"Meta": nameKeys}},
	// The email in the page title: every tag that sends the title sends it
	// (bat.js tl, GA4 dt and Ads tiba, LinkedIn pageTitle).
	{Name: "title-email", Chance: 0.3, Gets: map[string][]string{"Microsoft": emailOnly, "Google": emailOnly, "LinkedIn": emailOnly}},
	// snaptr('init', id, {user_email}): u_hem, SHA-256 of the email.
	{Name: "snap-email", Chance: 0.6, Needs: "Snap", Gets: map[string][]string{"Snap": emailOnly}},
	// gtag('set', 'user_data', ...): enhanced conversions, hashed.
	{Name: "google-user-data", Chance: 0.5, Needs: "Google", Gets: map[string][]string{"Google": nameKeys}},
	// pintrk('load', id, {em}): pd.em, SHA-256 of the email.
	{Name: "pinterest-email", Chance: 0.5, Needs: "Pinterest", Gets: map[string][]string{"Pinterest": emailOnly}},
}

// choose draws the page's vendors (at least one) and leaks.
func (s *popSite) choose(rng *rand.Rand) {
	s.Vendors, s.Leaks = map[string]bool{}, map[string]bool{}
	for _, v := range vendors {
		if rng.Float64() < 0.5 {
			s.Vendors[v.Name] = true
		}
	}
	if len(s.Vendors) == 0 {
		s.Vendors[vendors[s.Index%len(vendors)].Name] = true
	}
	for _, l := range popLeaks {
		if rng.Float64() < l.Chance && (l.Needs == "" || s.Vendors[l.Needs]) {
			s.Leaks[l.Name] = true
		}
	}
}

// truth lists the companies the page's tags reach and what each receives.
func (s *popSite) truth() SiteTruth {
	kinds := map[string]map[string]bool{}
	for _, v := range vendors {
		if s.Vendors[v.Name] {
			kinds[v.Name] = map[string]bool{}
		}
	}
	for _, l := range popLeaks {
		if !s.Leaks[l.Name] {
			continue
		}
		for vendor, keys := range l.Gets {
			if kinds[vendor] == nil {
				continue
			}
			for _, k := range keys {
				kinds[vendor][k] = true
			}
		}
	}
	t := SiteTruth{Site: "https://" + s.Host + "/", Host: s.Host, Domain: s.Domain}
	for _, v := range vendors {
		if set := kinds[v.Name]; set != nil {
			t.Companies = append(t.Companies, CompanyTruth{Company: v.Name, DataKinds: sortedKinds(set)})
		}
	}
	sortCompanies(t.Companies)
	return t
}

func sortCompanies(cs []CompanyTruth) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].Company < cs[j].Company })
}

// popPage is what the population page template receives.
type popPage struct {
	Title   string
	Shop    string
	Visitor account
	Has     map[string]bool
	Leaks   map[string]bool
	Tags    tagIDs
}

func pageOf(s *popSite) popPage {
	shop := fmt.Sprintf("Shop %04d", s.Index)
	title := shop + " – handmade goods, shipped fast"
	if s.Leaks["title-email"] {
		title = "Order confirmation for " + populationVisitor.Email + " | " + shop
	}
	return popPage{Title: title, Shop: shop, Visitor: populationVisitor, Has: s.Vendors, Leaks: s.Leaks, Tags: pageTags}
}

// populationPage is one light landing page: the chosen tags, installed as
// each vendor documents, and the visitor's values where the leaks say.
const populationPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
{{if .Has.Meta}}<script>
!function(w,d,src){if(w.fbq)return;var q=w.fbq=function(){q.callMethod?q.callMethod.apply(q,arguments):q.queue.push(arguments)};q.queue=[];q.loaded=true;q.version='2.0';var s=d.createElement('script');s.async=true;s.src=src;d.head.appendChild(s)}(window,document,'https://connect.facebook.net/en_US/fbevents.js');
fbq('init', {{.Tags.Meta}});
fbq('track', 'PageView');
</script>{{end}}
{{if .Has.LinkedIn}}<script>
window._linkedin_partner_id = {{.Tags.LinkedIn}};
window._linkedin_data_partner_ids = [window._linkedin_partner_id];
!function(d,src){var s=d.createElement('script');s.async=true;s.src=src;d.head.appendChild(s)}(document,'https://snap.licdn.com/li.lms-analytics/insight.min.js');
</script>{{end}}
{{if .Has.Snap}}<script>
!function(w,d,src){if(w.snaptr)return;var a=w.snaptr=function(){a.handleRequest?a.handleRequest.apply(a,arguments):a.queue.push(arguments)};a.queue=[];var s=d.createElement('script');s.async=true;s.src=src;d.head.appendChild(s)}(window,document,'https://sc-static.net/scevent.min.js');
snaptr('init', {{.Tags.Snap}}, {{if index .Leaks "snap-email"}}{'user_email': {{.Visitor.Email}}}{{else}}{}{{end}});
snaptr('track', 'PAGE_VIEW');
</script>{{end}}
{{if .Has.Microsoft}}<script>
(function(w,d,t,src,u){w[u]=w[u]||[];var s=d.createElement(t);s.async=true;s.src=src;s.onload=function(){if(typeof UET!=='function')return;var o={ti:{{.Tags.UET}}};o.q=w[u];w[u]=new UET(o);w[u].push('pageLoad')};d.head.appendChild(s)})(window,document,'script','https://bat.bing.com/bat.js','uetq');
</script>{{end}}
{{if .Has.Google}}<script>
!function(d,src){var s=d.createElement('script');s.async=true;s.src=src;d.head.appendChild(s)}(document,'https://www.googletagmanager.com/gtag/js?id=' + {{.Tags.GA4}});
window.dataLayer = window.dataLayer || [];
function gtag(){dataLayer.push(arguments);}
gtag('js', new Date());
gtag('config', {{.Tags.GA4}});
gtag('config', {{.Tags.Ads}}, {allow_enhanced_conversions: true});
{{if index .Leaks "google-user-data"}}gtag('set', 'user_data', {email: {{.Visitor.Email}}, address: {first_name: {{.Visitor.FirstName}}, last_name: {{.Visitor.LastName}}}});{{end}}
</script>{{end}}
{{if .Has.Pinterest}}<script>
!function(w,d,src){if(w.pintrk)return;var n=w.pintrk=function(){n.queue.push(Array.prototype.slice.call(arguments))};n.queue=[];n.version='3.0';var t=d.createElement('script');t.async=true;t.src=src;d.head.appendChild(t)}(window,document,'https://s.pinimg.com/ct/core.js');
pintrk('load', {{.Tags.Pinterest}}{{if index .Leaks "pinterest-email"}}, {em: {{.Visitor.Email}}}{{end}});
pintrk('page');
</script>{{end}}
</head>
<body>
<h1>{{.Shop}}</h1>
{{if .Leaks.profile}}<section itemscope itemtype="https://schema.org/Person">
<p>Welcome back, <span itemprop="givenName">{{.Visitor.FirstName}}</span> <span itemprop="familyName">{{.Visitor.LastName}}</span>
(<span itemprop="email">{{.Visitor.Email}}</span>).</p>
</section>{{end}}
<p>Handmade goods from a made-up shop of the leakwatch lab. Nothing here is real.</p>
</body>
</html>
`
