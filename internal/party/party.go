// Package party decides who a request goes to: its registrable domain, the
// company that owns it (embedded third-party-web data plus user entity files),
// whether it is a third party to the page, and which filter-list rule blocks it.
package party

// Entity is a company and the domains it owns.
type Entity struct {
	Name       string
	Homepage   string
	Categories []string
	// Domains are registrable domains (eTLD+1) or hosts owned by the entity.
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
	// Company is the owning entity's name; the registrable domain when unknown.
	Company    string
	Known      bool // Company came from entity data
	Categories []string
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
