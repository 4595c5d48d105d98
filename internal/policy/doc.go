// Package policy owns the CI gate: YAML policies that allow or deny data
// flows per company, domain, category, page and data kind, their evaluation
// against an audit report (optionally only on what is new against a
// baseline), the --fail-on shorthand, and diffs between two reports.
//
// # Format
//
//	name: release gate                 # optional; defaults to the file name
//	description: what this gate is for # optional
//	rules:
//	  - id: ga-page-urls-only          # optional, unique; defaults to rule-N
//	    description: Google Analytics may receive page URLs but nothing from the persona
//	    match: { company: Google, domain: google-analytics.com }  # optional scope
//	    allow: { meanings: [page_url, referrer, title] }          # optional exceptions
//	    deny:  { data: ["*"] }                                    # required
//
// Each finding of the report is one item; so is each third-party company
// and each pixel ID when a deny selector names them (third_parties: true,
// pixels: true). An item breaks a rule when it matches match (if given) and
// deny, and not allow (if given). Within a selector every key must match;
// the values of one key are alternatives. Values are case-insensitive globs
// (* any run, ? one character) and may be one value or a list.
//
// What an item is (a deny selector without any of these picks every finding;
// a match or allow selector without them picks every item):
//
//	data           persona keys: email, phone, first_name, last_name, street, city,
//	               state, zip, country, date_of_birth, tracking_numbers, custom.<name>;
//	               also pattern findings of the same kind (an email found without a
//	               persona counts as email); "*" is any personal data
//	patterns       pattern rules: email, phone, us-address, usps-impb, upu-s10, ups,
//	               fedex, payment-card, us-ssn
//	finding_types  leak, pattern, pixel-config, cookie-sync, session-replay,
//	               third-party-cookie, identifier-cookie, fingerprinting,
//	               tracking-beacon, automatic-advanced-matching
//	third_parties  true: each third-party company is an item (vendor allowlists)
//	pixels         true: each pixel ID (vendor, product, account) is an item
//
// Where and how it went:
//
//	company     the receiver under any of its names: entity ("Facebook"), owner of
//	            the domain, or pixel vendor ("Meta")
//	domain      registrable domain or host; a plain name also covers subdomains
//	category    the company's categories: ad, analytics, social, utility, ...
//	pages       "/account/*" matches the page's path; anything else the full URL
//	channels    url-path, query, fragment, body, header, cookie, websocket, redirect
//	meanings    the pixel field's meaning: page_url, referrer, title, hashed_email, ...
//	accounts    pixel or account IDs
//	confidence  of pattern findings: high, medium, low. Without it a deny
//	            selector picks only high-confidence pattern findings (the ones
//	            reports show by default), so a cache-buster that passes Luhn
//	            fails no build; confidence: [low, medium, high] widens it. A
//	            selector naming only a confidence picks pattern findings.
//
// Unknown keys and unknown vocabulary values are errors naming the line, so a
// typo cannot silently turn a rule off.
package policy
