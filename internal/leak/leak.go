// Package leak finds personal data in traffic: personas and their candidate
// pool (normalize × hash × encode), channel extraction, decoding layers,
// one multi-pattern match pass, and value patterns found without a persona.
//
// How a request is searched: every channel (URL path segments and ;k=v
// parameters, query, fragment, headers, cookies, the body by content type
// after its Content-Encoding, WebSocket frames, a response's Location and
// Set-Cookie) is split into named fields, down into JSON, forms and URLs
// held in fields. Each field value goes through one Aho–Corasick pass over
// the pool's text candidates and one token pass that decodes digest-shaped
// hex and base64 runs and looks them up by raw digest; then the decoding
// layers that plausibly apply (URL, HTML entities, JSON escapes, base64 and
// base64url with gzip/zlib/deflate inside, hex, lz-string) produce new
// values, searched the same way, up to three layers deep.
//
// False positives are bugs: a plain value counts only as a whole token
// (between non-alphanumerics); a state or country code only as a whole
// field value or after "key=", never in a URL path. A value pattern found
// without a persona carries a confidence and a reason decided by tables
// of context (confidence.go, judge.go): the field's name, what surrounds
// the value, and whether a tag scraped it from the page.
//
// Cost is linear in the request's bytes and matches, and bounded:
// Budgets cap decoded bytes, decompression ratio, decoding depth and
// findings kept (past it findings are counted, not listed); each budget
// hit is a warning naming the flag that raises it. A surface's values as
// sent (URL, headers, cookies, body, each frame) and what decoding makes
// of them share the per-value cap: past it values are still searched as
// sent, never decoded. Value patterns that need a regular expression run
// it only on short windows around a cheap anchor. Structure past a
// nesting limit (JSON 256 levels deep, values nested 6 deep) is searched
// as plain text, with a warning. ScanOptions.Stop (or ScanContext) ends a
// scan early.
package leak

// Persona is what the tester knows about the account used in a visit.
type Persona struct {
	Name            string            `json:"name,omitempty" yaml:"name,omitempty"`
	Email           string            `json:"email,omitempty" yaml:"email,omitempty"`
	Phone           string            `json:"phone,omitempty" yaml:"phone,omitempty"`
	FirstName       string            `json:"first_name,omitempty" yaml:"first_name,omitempty"`
	LastName        string            `json:"last_name,omitempty" yaml:"last_name,omitempty"`
	Street          string            `json:"street,omitempty" yaml:"street,omitempty"`
	City            string            `json:"city,omitempty" yaml:"city,omitempty"`
	State           string            `json:"state,omitempty" yaml:"state,omitempty"`
	Zip             string            `json:"zip,omitempty" yaml:"zip,omitempty"`
	Country         string            `json:"country,omitempty" yaml:"country,omitempty"`
	DateOfBirth     string            `json:"date_of_birth,omitempty" yaml:"date_of_birth,omitempty"`
	TrackingNumbers []string          `json:"tracking_numbers,omitempty" yaml:"tracking_numbers,omitempty"`
	Custom          map[string]string `json:"custom,omitempty" yaml:"custom,omitempty"`
}

// Match is one persona value found in a request.
type Match struct {
	Persona string // Persona.Name, or "persona N" (1-based) when unnamed
	// Field is the persona key: "email", "zip", "tracking_numbers",
	// "custom.<name>", ...
	Field string
	Value string // the persona value as given (outputs mask it)
	// Channel is one of the Channel* constants.
	Channel string
	// Location names where in the channel: a query parameter name, a JSON
	// path such as "context.user.email", a header name, a cookie name, a path
	// segment index "/2", a ;k=v path parameter ";u1", a form field, a
	// WebSocket direction ("sent", "received"), "Set-Cookie: <name>" for a
	// response cookie; nested names are joined with " > ".
	Location string
	// Encoding lists the transforms from the wire inwards, outermost first:
	// e.g. ["base64", "gzip", "sha256", "meta-normalize"]. Empty for plain.
	Encoding []string
	// Evidence is the matched text as it appeared in the decoded surface,
	// cut to at most 200 bytes.
	Evidence string
	// Count is how many matches of this value at this location in this
	// request were merged into this finding (at least 1); the same bytes
	// read through two decodings (raw and URL-decoded) count twice.
	Count int
	// Partial, when set, is how many characters of Value were sent: a
	// prefix of at least 5 characters ending where the sent value ends, as
	// a page sends a field while it is being typed (keystroke capture).
	// A request that also carries the whole value reports only that.
	Partial int `json:",omitempty"`
}

// PatternMatch is a personal value recognised without a persona.
type PatternMatch struct {
	Rule     string // "email", "phone", "us-address", "usps-impb", "upu-s10", "ups", "fedex", "payment-card", "us-ssn"
	Value    string
	Channel  string
	Location string
	Encoding []string
	// Confidence is ConfidenceHigh, ConfidenceMedium or ConfidenceLow:
	// how sure it is that this is a visitor's personal value and not an
	// ID, a number that passes a check by chance, or the site's own
	// published contact data. Reports count only high by default.
	Confidence string
	// Reason says in one plain sentence why, for a reader to check
	// against the request.
	Reason string
	// Count is how many times this value was found at this location in
	// this request (at least 1).
	Count int
}

// Confidence levels of a PatternMatch.
const (
	ConfidenceHigh   = "high"
	ConfidenceMedium = "medium"
	ConfidenceLow    = "low"
)

// Dropped counts the findings of one value that a request had past its
// finding budget (Budgets.MaxFindings): "and 4,980 more of this email".
type Dropped struct {
	Persona string // empty for a pattern
	Field   string // the persona field, or empty for a pattern
	Rule    string // the pattern rule, or empty for a persona match
	Value   string
	Count   int // findings not kept
}

// Channels a request carries data in.
const (
	ChannelURLPath   = "url-path"
	ChannelQuery     = "query"
	ChannelFragment  = "fragment"
	ChannelBody      = "body"
	ChannelHeader    = "header"
	ChannelCookie    = "cookie"
	ChannelWebSocket = "websocket"
	ChannelRedirect  = "redirect"
)
