// Package party decides who a request goes to: its registrable domain, the
// company that owns it under one canonical name (embedded third-party-web
// data, hand-maintained additions and domain families, user entity files),
// whether it is a third party to the page, which filter-list rule blocks it,
// and whether the browser made it for itself (BrowserTraffic).
package party

// Entity is a company and the domains it owns.
type Entity struct {
	Name string
	// Company is the owning company under its canonical name: the entry
	// for Name in data/owners.tsv, else the data set's company field (Name
	// when empty) mapped through data/owners.tsv, else that name without a
	// trailing legal form ("ByteDance Ltd" → "ByteDance"). Two hosts are
	// owned by the same company when their entities have equal Company
	// (case-insensitively).
	Company    string
	Homepage   string
	Categories []string
	// Domains are registrable domains (eTLD+1) or hosts owned by the entity.
	// "*.example.com" covers example.com and every name below it; an entry
	// without "*." covers that one host.
	Domains []string
}

// FilterMatch names the filter-list rule that blocks a request.
type FilterMatch struct {
	List string // file name of the list
	Rule string // the rule text as written in the list
}

// Party is what the classifier knows of one request relative to its page.
type Party struct {
	Host   string // request host, lowercased, without port
	Domain string // registrable domain of Host (eTLD+1); Host when it has none
	// Company is the owning company's canonical name (Entity.Company:
	// "Google" for google-analytics.com and google.com.ar); the registrable
	// domain when unknown.
	Company string
	// Entity is the entity (product) name from the data ("Google Analytics");
	// empty when unknown.
	Entity     string
	Known      bool     // Company came from entity data
	Categories []string // shared with the classifier: read only
	// ThirdParty: registrable domain differs from the page's and the two are
	// not owned by the same company, nor siblings (almundo.com on
	// almundo.com.ar; see Classifier.SameCompany).
	ThirdParty bool
	Filter     *FilterMatch // nil when no list blocks it
}

// Options configures a Classifier. The zero value uses the embedded data only.
type Options struct {
	// EntityFiles are extra entity files (DuckDuckGo Tracker Radar entities
	// JSON or Disconnect entities.json), merged over the embedded data.
	EntityFiles []string
	// FilterLists are Adblock Plus / EasyList syntax files.
	FilterLists []string
}
