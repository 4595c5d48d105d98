// Package party decides who a request goes to: its registrable domain, the
// company that owns it (embedded third-party-web data plus user entity files),
// whether it is a third party to the page, and which filter-list rule blocks it.
package party

// Entity is a company and the domains it owns.
type Entity struct {
	Name string
	// Company is the owning company: the data set's company field, else a
	// parent from data/owners.tsv, else Name. Two hosts are owned by the same
	// company when their entities have equal Company (case-insensitively).
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
	// Company is the owning company (Entity.Company: "Google" for
	// google-analytics.com); the registrable domain when unknown.
	Company string
	// Entity is the entity (product) name from the data ("Google Analytics");
	// empty when unknown.
	Entity     string
	Known      bool     // Company came from entity data
	Categories []string // shared with the classifier: read only
	// ThirdParty: registrable domain differs from the page's and the two are
	// not owned by the same company.
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
